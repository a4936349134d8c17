#pragma once
// Collects the measurements of one run as queries complete: the latency histogram of measured
// (post-warm-up) queries, their waits, and the measurement window. Bounded memory.
//
// Confidence interval of the SLA percentile, by batch means: the measured queries are cut, in
// completion order, into kBatches consecutive batches with a histogram each; the batches' percentiles
// are treated as independent estimates (consecutive latencies in a queue are correlated, but
// batches of thousands of queries much less so), and the 95% interval is the overall percentile
// ± t(0.975, kBatches − 1) · sd / sqrt(kBatches).
#include "sim/metrics/latency_histogram.h"
#include "sim/metrics/measurement_window.h"
#include "sim/metrics/run_results.h"

#include <cstdint>
#include <vector>

namespace recsim {

class RunMetrics : public MeasurementWindow {
 public:
  static constexpr int kBatches = 20;
  static constexpr std::uint64_t kMinPerBatch = 50;  // fewer measured queries: no interval

  // expected_measured: how many measured queries the run will have if it completes (sizes batches).
  explicit RunMetrics(std::uint64_t expected_measured = 0);

  // Re-sizes the batch means for `expected_measured` queries; only before the first measured query
  // (the online policy measures from the end of its climb, known only then).
  void expect(std::uint64_t expected_measured);
  // A measured query arrived: the window opens at the first one.
  void measured_arrival(double now);
  // A measured query completed.
  void measured_completion(double arrival, double first_start, double completion);

  // Early decision (capacity searches): with `expected_measured` queries and the SLA's percentile p,
  // the observed percentile is the k-th smallest latency, k = ceil(p/100 · n). Once more than n − k
  // measured latencies lie beyond the target's histogram bin, the k-th smallest lies beyond it too,
  // whatever the remaining queries do: the SLA is missed for certain and the run can stop.
  void watch_sla(double percentile, double target_seconds);
  bool sla_missed_for_certain() const { return watching_ && expected_ > 0 && over_target_ > allowed_over_; }
  std::uint64_t over_target() const { return over_target_; }

  std::uint64_t measured() const { return latency_.count(); }
  const LatencyHistogram& latency() const { return latency_; }

  // Fills latency, wait, throughput and SLA fields of `out`, for a window ending at `end`.
  void summarise(double end, double sla_percentile, double sla_target_ms, RunResults& out) const;

 private:
  void allow_over_target();

  LatencyHistogram latency_;
  std::vector<LatencyHistogram> batches_;  // empty when the run is too short for an interval
  std::uint64_t expected_ = 0;
  long double wait_sum_ = 0.0L;
  std::uint64_t waited_ = 0;
  bool watching_ = false;
  double watched_percentile_ = 0.0;
  double over_threshold_ = 0.0;   // latencies above this are in a bin wholly beyond the target
  std::uint64_t allowed_over_ = 0;
  std::uint64_t over_target_ = 0;
};

}  // namespace recsim
