#include "sim/metrics/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

unsigned bin_count() {
  return static_cast<unsigned>(
      std::ceil(std::log(LatencyHistogram::kMaxSeconds / LatencyHistogram::kMinSeconds) /
                std::log1p(LatencyHistogram::kRelativeBinWidth)));
}

}  // namespace

LatencyHistogram::LatencyHistogram()
    : histogram_(boost::histogram::make_histogram_with(boost::histogram::dense_storage<std::uint64_t>(),
                                                       Axis(bin_count(), kMinSeconds, kMaxSeconds))) {}

void LatencyHistogram::add(double seconds) {
  histogram_(seconds);
  if (count_ == 0) {
    min_ = max_ = seconds;
  } else {
    min_ = std::min(min_, seconds);
    max_ = std::max(max_, seconds);
  }
  ++count_;
  sum_ += seconds;
}

std::vector<std::pair<double, double>> LatencyHistogram::cdf_ms() const {
  std::vector<std::pair<double, double>> out;
  if (count_ == 0) return out;
  const auto& axis = histogram_.axis(0);
  std::uint64_t seen = 0;
  for (int i = -1; i <= axis.size(); ++i) {
    const auto n = histogram_.at(i);
    if (n == 0) continue;
    seen += n;
    const double edge = i < 0 ? min_ : (i >= axis.size() ? max_ : std::min(axis.value(i + 1), max_));
    out.emplace_back(edge * 1e3, static_cast<double>(seen) / static_cast<double>(count_));
  }
  return out;
}

std::uint64_t LatencyHistogram::count_at_most(double seconds) const {
  if (count_ == 0 || seconds < min_) return 0;
  if (seconds >= max_) return count_;
  const auto& axis = histogram_.axis(0);
  std::uint64_t n = histogram_.at(-1);
  for (int i = 0; i < axis.size(); ++i) {
    if (std::clamp(std::sqrt(axis.value(i) * axis.value(i + 1)), min_, max_) > seconds) break;
    n += histogram_.at(i);
  }
  return n;
}

double LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return 0.0;
  const auto rank = static_cast<std::uint64_t>(std::max(1.0, std::ceil(p / 100.0 * static_cast<double>(count_) - 1e-9)));
  const auto& axis = histogram_.axis(0);
  std::uint64_t seen = 0;
  for (int i = -1; i <= axis.size(); ++i) {  // -1: underflow, size(): overflow
    seen += histogram_.at(i);
    if (seen >= rank) {
      if (i < 0) return min_;
      if (i >= axis.size()) return max_;
      const double centre = std::sqrt(axis.value(i) * axis.value(i + 1));
      return std::clamp(centre, min_, max_);
    }
  }
  return max_;
}

}  // namespace recsim
