#pragma once
// The observer of completed queries beyond the fleet-wide RunMetrics: per model (latency, SLA
// verdict and interval, through a RunMetrics each), per server group (a latency histogram each), and
// the split of each measured query's latency into network (request and response crossing the
// datacenter network), queueing (arrival at its server to its first request's start), service
// (first start to the last request's or the GPU's end) and, for a query a failure caught, retry
// (arrival to its last re-issue: the attempts lost and the timeouts). The query tracker notifies it; no component
// holds it otherwise. Present for format-2 scenarios; v1 results do not have these keys.
#include "sim/metrics/latency_histogram.h"
#include "sim/metrics/query_observer.h"
#include "sim/metrics/run_metrics.h"

#include <cstdint>
#include <vector>

namespace recsim {

class FleetMetrics {
 public:
  // `expected_per_model`: the measured queries each model is expected to have (sizes batch means).
  FleetMetrics(const std::vector<std::uint64_t>& expected_per_model, std::size_t groups);

  // A measured query of `model`, served by a server of `group`, completed.
  void completed(int model, int group, const QueryTimes& t);
  // The measurement window opened (a measured query arrived) for `model`.
  void arrived(int model, double now) { models_[static_cast<std::size_t>(model)].measured_arrival(now); }

  const RunMetrics& model(std::size_t m) const { return models_[m]; }
  std::size_t models() const { return models_.size(); }
  const LatencyHistogram& group(std::size_t g) const { return groups_[g]; }
  std::size_t groups() const { return groups_.size(); }
  std::uint64_t measured() const { return measured_; }
  // Means over the measured queries, in seconds.
  double mean_network_seconds() const { return measured_ ? static_cast<double>(network_ / measured_) : 0.0; }
  double mean_queueing_seconds() const { return measured_ ? static_cast<double>(queueing_ / measured_) : 0.0; }
  double mean_service_seconds() const { return measured_ ? static_cast<double>(service_ / measured_) : 0.0; }
  // From arrival to the last re-issue, for queries a failure caught (0 for the others).
  double mean_retry_seconds() const { return measured_ ? static_cast<double>(retry_ / measured_) : 0.0; }

 private:
  std::vector<RunMetrics> models_;
  std::vector<LatencyHistogram> groups_;
  std::uint64_t measured_ = 0;
  long double network_ = 0.0L, queueing_ = 0.0L, service_ = 0.0L, retry_ = 0.0L;
};

}  // namespace recsim
