#pragma once
// The servers' loads (outstanding requests per core) in a segment tree of minima, so that the
// least-loaded server is found in O(log N) instead of a scan: the first server, in the rotated
// order start, start + 1, ..., N - 1, 0, ..., start - 1, whose load is the smallest (the order a
// scan from `start` keeps ties in). Updated in O(log N) when a server's load changes. Each node
// also keeps the first leaf under it holding its minimum, so the first least-loaded server is read
// at the root, and a rotated search stops at the first subtree holding the minimum.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace recsim {

class ServerLoadIndex {
 public:
  explicit ServerLoadIndex(std::size_t servers);
  std::size_t size() const { return n_; }
  void set(std::size_t server, double load);
  double load(std::size_t server) const { return tree_[leaves_ + server]; }
  // The smallest load.
  double min() const { return tree_[1]; }
  // The first server whose load is the smallest (least_from(0)): kept at the root, no descent.
  std::size_t argmin() const { return first_[1]; }
  // The least-loaded server, first in rotated order from `start`.
  std::size_t least_from(std::size_t start) const;

 private:
  // The first server at or after `lo` (< n_) whose load is the smallest, or n_ when none.
  std::size_t first_least_from(std::size_t lo) const;
  std::size_t n_, leaves_;
  std::vector<double> tree_;  // heap layout: node k has children 2k and 2k+1; leaves from leaves_
  // Per node: the first leaf under it holding its minimum (padding leaves: past the servers).
  std::vector<std::uint32_t> first_;
};

}  // namespace recsim
