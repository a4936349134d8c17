#include "sim/metrics/fleet_metrics.h"

namespace recsim {

FleetMetrics::FleetMetrics(const std::vector<std::uint64_t>& expected_per_model, std::size_t groups)
    : groups_(groups) {
  models_.reserve(expected_per_model.size());
  for (auto n : expected_per_model) models_.emplace_back(n);
}

void FleetMetrics::completed(int model, int group, const QueryTimes& t) {
  models_[static_cast<std::size_t>(model)].measured_completion(t.arrival, t.first_start, t.completion);
  groups_[static_cast<std::size_t>(group)].add(t.completion - t.arrival);
  ++measured_;
  retry_ += t.reissued - t.arrival;
  network_ += (t.at_server - t.reissued) + (t.completion - t.departure);
  queueing_ += t.first_start - t.at_server;
  service_ += t.departure - t.first_start;
}

}  // namespace recsim
