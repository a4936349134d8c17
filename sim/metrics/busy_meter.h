#pragma once
// Busy time of one resource inside the measurement window: the time during which at least one
// activity on it was in progress. Activities may overlap (several transfers on one PCIe direction,
// from the upload stage, the background fetcher and the refresher): overlapping intervals count once,
// so the busy fraction never exceeds 1. An activity in progress at the end counts up to the end.
#include "sim/metrics/measurement_window.h"

#include <algorithm>

namespace recsim {

class BusyMeter {
 public:
  explicit BusyMeter(const MeasurementWindow& metrics) : metrics_(&metrics) {}

  void begin(double now) {
    if (active_++ == 0) since_ = now;
  }
  void end(double now) {
    if (--active_ == 0) busy_ += clipped(since_, now);
  }
  // Busy seconds inside the window up to `end`.
  double busy_seconds(double end) const { return active_ > 0 ? busy_ + clipped(since_, end) : busy_; }

 private:
  double clipped(double from, double to) const {
    if (!metrics_->window_open()) return 0.0;
    return std::max(0.0, to - std::max(from, metrics_->window_start()));
  }
  const MeasurementWindow* metrics_;
  int active_ = 0;
  double since_ = 0.0;
  double busy_ = 0.0;
};

}  // namespace recsim
