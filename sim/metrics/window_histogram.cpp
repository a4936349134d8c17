#include "sim/metrics/window_histogram.h"

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

const double kLogBase = std::log1p(WindowHistogram::kRelativeBinWidth);

double lower_edge(int bin) { return WindowHistogram::kMinSeconds * std::exp(bin * kLogBase); }

}  // namespace

int WindowHistogram::bin_of(double seconds) {
  const double x = std::clamp(seconds, kMinSeconds, kMaxSeconds);
  return static_cast<int>(std::floor(std::log(x / kMinSeconds) / kLogBase));
}

void WindowHistogram::cover(int bin) {
  if (counts_.empty()) {
    counts_.assign(1, 0);
    first_ = bin;
    return;
  }
  const int last = first_ + static_cast<int>(counts_.size()) - 1;
  if (bin < first_) {
    counts_.insert(counts_.begin(), static_cast<std::size_t>(first_ - bin), 0);
    first_ = bin;
  } else if (bin > last) {
    counts_.resize(counts_.size() + static_cast<std::size_t>(bin - last), 0);
  }
}

void WindowHistogram::add(double seconds) {
  const int bin = bin_of(seconds);
  cover(bin);
  ++counts_[static_cast<std::size_t>(bin - first_)];
  min_ = count_ == 0 ? seconds : std::min(min_, seconds);
  max_ = count_ == 0 ? seconds : std::max(max_, seconds);
  ++count_;
  sum_ += seconds;
}

void WindowHistogram::merge(const WindowHistogram& other) {
  if (other.count_ == 0) return;
  cover(other.first_);
  cover(other.first_ + static_cast<int>(other.counts_.size()) - 1);
  for (std::size_t i = 0; i < other.counts_.size(); ++i)
    counts_[static_cast<std::size_t>(other.first_ - first_) + i] += other.counts_[i];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = count_ == 0 ? other.max_ : std::max(max_, other.max_);
  count_ += other.count_;
  sum_ += other.sum_;
}

double WindowHistogram::percentile(double p) const {
  if (count_ == 0) return 0.0;
  const auto rank = static_cast<std::uint64_t>(std::max(1.0, std::ceil(p / 100.0 * static_cast<double>(count_) - 1e-9)));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      const int bin = first_ + static_cast<int>(i);
      return std::clamp(std::sqrt(lower_edge(bin) * lower_edge(bin + 1)), min_, max_);
    }
  }
  return max_;
}

}  // namespace recsim
