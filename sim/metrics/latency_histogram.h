#pragma once
// A streaming latency histogram with bounded memory: Boost.Histogram with a logarithmic axis of
// 0.1%-wide bins from 1 ns to 10^6 s (about 35,000 bins, 280 KB), whatever the number of samples.
// A percentile is read as the geometric centre of its bin (clamped to the exact min and max), so its
// relative error is at most 0.05%. Mean, min and max are exact.
#include <boost/histogram.hpp>

#include <cstdint>
#include <utility>
#include <vector>

namespace recsim {

class LatencyHistogram {
 public:
  LatencyHistogram();
  void add(double seconds);
  std::uint64_t count() const { return count_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }
  double min() const { return min_; }
  double max() const { return max_; }
  // Nearest-rank percentile, p in (0, 100]: the smallest value v such that at least p% of the
  // samples are <= v (to the bin's resolution). 0 when empty.
  double percentile(double p) const;
  // Samples at or below `seconds`, to the bin's resolution: a sample counts when its bin's centre
  // (where percentile() reads it) is at or below, so a percentile <= x exactly when at least that
  // share of samples is counted here.
  std::uint64_t count_at_most(double seconds) const;
  // The empirical distribution: for each non-empty bin, (its upper edge in ms, clamped to the
  // exact max, fraction of samples at or below it).
  std::vector<std::pair<double, double>> cdf_ms() const;

  static constexpr double kMinSeconds = 1e-9;
  static constexpr double kMaxSeconds = 1e6;
  static constexpr double kRelativeBinWidth = 1e-3;

 private:
  using Axis = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
  using Histogram = boost::histogram::histogram<std::tuple<Axis>, boost::histogram::dense_storage<std::uint64_t>>;
  Histogram histogram_;
  std::uint64_t count_ = 0;
  long double sum_ = 0.0L;
  double min_ = 0.0;
  double max_ = 0.0;
};

}  // namespace recsim
