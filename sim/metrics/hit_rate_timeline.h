#pragma once
// The GPU embedding cache's hit rate over virtual time, from the start of the run (the cold start
// after model load included): unique keys and hits per time bin. Bounded memory: when the run
// outgrows the bins, neighbouring bins are merged and the bin width doubles.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace recsim {

class HitRateTimeline {
 public:
  explicit HitRateTimeline(double first_bin_seconds, std::size_t max_bins = 256);
  void add(double seconds, std::uint64_t unique, std::uint64_t hits);
  double bin_seconds() const { return width_; }
  const std::vector<std::uint64_t>& unique() const { return unique_; }
  const std::vector<std::uint64_t>& hits() const { return hits_; }

 private:
  void merge_pairs();
  double width_;
  std::size_t max_bins_;
  std::vector<std::uint64_t> unique_, hits_;
};

}  // namespace recsim
