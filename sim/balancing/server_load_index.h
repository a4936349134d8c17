#pragma once
// The servers' loads (outstanding requests per core) in a segment tree of minima, so that the
// least-loaded server is found in O(log N) instead of a scan: the first server, in the rotated
// order start, start + 1, ..., N - 1, 0, ..., start - 1, whose load is the smallest (the order a
// scan from `start` keeps ties in). Updated in O(log N) when a server's load changes.
#include <cstddef>
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
  // The first server whose load is the smallest (least_from(0), by one descent).
  std::size_t argmin() const {
    std::size_t k = 1;
    while (k < leaves_) k = tree_[2 * k] == tree_[k] ? 2 * k : 2 * k + 1;
    return k - leaves_;
  }
  // The least-loaded server, first in rotated order from `start`.
  std::size_t least_from(std::size_t start) const;

 private:
  // The first server at or after `lo` (< n_) whose load is at most `value`, or n_ when none.
  std::size_t first_at_most(std::size_t lo, double value) const;
  std::size_t n_, leaves_;
  std::vector<double> tree_;  // heap layout: node k has children 2k and 2k+1; leaves from leaves_
};

}  // namespace recsim
