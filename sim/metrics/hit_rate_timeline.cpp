#include "sim/metrics/hit_rate_timeline.h"

#include <cmath>
#include <stdexcept>

namespace recsim {

HitRateTimeline::HitRateTimeline(double first_bin_seconds, std::size_t max_bins) : width_(first_bin_seconds), max_bins_(max_bins) {
  if (!(first_bin_seconds > 0.0) || max_bins < 2) throw std::invalid_argument("hit-rate timeline: bin width > 0, at least 2 bins");
}

void HitRateTimeline::merge_pairs() {
  const std::size_t n = (unique_.size() + 1) / 2;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t a = 2 * i, b = 2 * i + 1;
    unique_[i] = unique_[a] + (b < unique_.size() ? unique_[b] : 0);
    hits_[i] = hits_[a] + (b < hits_.size() ? hits_[b] : 0);
  }
  unique_.resize(n);
  hits_.resize(n);
  width_ *= 2.0;
}

void HitRateTimeline::add(double seconds, std::uint64_t unique, std::uint64_t hits) {
  double bin = std::floor(std::max(0.0, seconds) / width_);
  while (bin >= static_cast<double>(max_bins_)) {
    merge_pairs();
    bin = std::floor(std::max(0.0, seconds) / width_);
  }
  const auto i = static_cast<std::size_t>(bin);
  if (i >= unique_.size()) {
    unique_.resize(i + 1, 0);
    hits_.resize(i + 1, 0);
  }
  unique_[i] += unique;
  hits_[i] += hits;
}

}  // namespace recsim
