#include "sim/search/stability_limit.h"

#include "sim/scenario/query_sizes.h"
#include "sim/service/service_time_model.h"

#include <algorithm>

namespace recsim {

std::optional<double> cpu_stability_limit_qps(const Scenario& scenario) {
  if (scenario.format >= 2 || scenario.query_size.distribution == QuerySizeSpec::Distribution::trace) return std::nullopt;
  const std::string& policy = scenario.scheduler.policy;
  if (policy != "static" && policy != "cpu-only" && policy != "deeprecsched") return std::nullopt;
  const int cores = scenario.total_cores();
  if (cores <= 0 || scenario.total_servers() <= 0) return std::nullopt;
  const int per_server = std::max(1, cores / scenario.total_servers());
  const auto service = make_service_model(scenario.service);
  const int b = std::max(1, scenario.scheduler.batch_size);
  const std::optional<int> threshold =
      policy == "deeprecsched" && scenario.total_gpus() > 0 ? std::optional<int>(scenario.scheduler.gpu_threshold) : std::nullopt;
  const auto request = [&](int items) {
    return service->mean_seconds(items) * service->contention_factor(items, 1.0, per_server) *
           std::min(1.0, service->cold_size_factor(items));
  };
  const double full = request(b);
  // A query of n items: n / b requests of b items and one of the rest (sim/scheduling/static_policy.h).
  const auto work = [&](int size) {
    if (threshold && size >= *threshold) return 0.0;
    return (size / b) * full + (size % b ? request(size % b) : 0.0);
  };
  const double mean_work = make_query_sizes(scenario.query_size)->expectation(work);
  if (!(mean_work > 0.0)) return std::nullopt;
  return cores / mean_work;
}

}  // namespace recsim
