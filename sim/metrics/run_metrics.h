#pragma once
// Collects the measurements of one run as queries complete: the latency histogram of measured
// (post-warm-up) queries, their waits, and the measurement window. Bounded memory.
#include "sim/metrics/latency_histogram.h"
#include "sim/metrics/run_results.h"

#include <cstdint>

namespace recsim {

class RunMetrics {
 public:
  // A measured query arrived: the window opens at the first one.
  void measured_arrival(double now);
  // A measured query completed.
  void measured_completion(double arrival, double first_start, double completion);

  bool window_open() const { return window_open_; }
  double window_start() const { return window_start_; }
  std::uint64_t measured() const { return latency_.count(); }

  // Fills latency, wait, throughput and SLA fields of `out`, for a window ending at `end`.
  void summarise(double end, double sla_percentile, double sla_target_ms, RunResults& out) const;

 private:
  LatencyHistogram latency_;
  long double wait_sum_ = 0.0L;
  std::uint64_t waited_ = 0;
  bool window_open_ = false;
  double window_start_ = 0.0;
};

}  // namespace recsim
