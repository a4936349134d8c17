#pragma once
// A small latency histogram for one time window of a run's time series (sim/metrics/time_series.h):
// logarithmic bins 1% wide on one global grid (bin k holds [1.01^k, 1.01^(k+1)) ns), stored densely
// over only the range of bins a window has seen, so a window whose latencies span two decades costs
// about 460 counters instead of LatencyHistogram's 35,000. Histograms of different windows or models
// add exactly (same grid), which a Boost.Histogram with a growing axis does not allow when the two
// ranges differ. A percentile is read as its bin's geometric centre, clamped to the exact min and
// max: relative error at most 0.5%. Mean, min and max are exact.
#include <cstdint>
#include <vector>

namespace recsim {

class WindowHistogram {
 public:
  static constexpr double kRelativeBinWidth = 0.01;
  static constexpr double kMinSeconds = 1e-9;  // below: counted in the lowest bin (min stays exact)
  static constexpr double kMaxSeconds = 1e7;

  void add(double seconds);
  // Adds every sample of `other`.
  void merge(const WindowHistogram& other);

  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? static_cast<double>(sum_ / static_cast<long double>(count_)) : 0.0; }
  double min() const { return min_; }
  double max() const { return max_; }
  // Nearest-rank percentile, p in (0, 100]: the smallest v with at least p% of samples <= v, to the
  // bin's resolution. 0 when empty.
  double percentile(double p) const;
  // Counters held (for the memory estimate's check).
  std::size_t bins() const { return counts_.size(); }

  static int bin_of(double seconds);

 private:
  void cover(int bin);  // grows counts_ to hold `bin`
  std::vector<std::uint64_t> counts_;
  int first_ = 0;  // bin of counts_[0]
  std::uint64_t count_ = 0;
  long double sum_ = 0.0L;
  double min_ = 0.0, max_ = 0.0;
};

}  // namespace recsim
