#include "sim/search/stability_limit.h"

#include "sim/scenario/fleet.h"
#include "sim/scenario/query_sizes.h"
#include "sim/service/service_time_model.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace recsim {

namespace {

// Mean worker time of one query of `model` on servers of `kind` while every core is busy (a worker:
// a core, or one of the model's instances with its intra-op threads); none where the scenario alone
// does not give it.
std::optional<double> mean_work(const FleetModel& model, std::size_t kind, const ServerKind& k, int shared_cores) {
  const ServiceSpec* spec = model.service[kind].get();
  const SchedulerSpec& scheduler = model.scheduler[kind];
  if (!spec || model.query_size.from_trace()) return std::nullopt;
  const std::string& policy = scheduler.policy;
  if (policy != "static" && policy != "cpu-only" && policy != "deeprecsched") return std::nullopt;
  const auto service = make_service_model(*spec, scheduler.intra_op_threads);
  const int b = std::max(1, scheduler.batch_size);
  const int cores = std::max(1, k.cpu_cores);
  const std::optional<int> threshold = policy == "deeprecsched" && k.gpus > 0 ? std::optional<int>(scheduler.gpu_threshold) : std::nullopt;
  // The other cores a saturated pool keeps busy: its own other workers' (every core in the default
  // deployment, where the shared pool is all of them).
  const int width = scheduler.instances > 0 ? scheduler.intra_op_threads : 1;
  const int busy = scheduler.instances > 0 ? (scheduler.instances - 1) * width : shared_cores - 1;
  const double others_busy = cores > width ? static_cast<double>(busy) / (cores - width) : 0.0;
  const auto request = [&](int items) {
    return service->mean_seconds(items) * service->contention_factor(items, others_busy, cores) * std::min(1.0, service->cold_size_factor(items));
  };
  const double full = request(b);
  // A query of n items: n / b requests of b items and one of the rest (sim/scheduling/static_policy.h).
  // The rest's request time by size, each computed once (the expectation visits up to 65,536 sizes).
  std::vector<double> rest(static_cast<std::size_t>(std::min(b, 1 << 16)), -1.0);
  const auto rest_request = [&](int r) {
    if (static_cast<std::size_t>(r) >= rest.size()) return request(r);
    double& t = rest[static_cast<std::size_t>(r)];
    if (t < 0.0) t = request(r);
    return t;
  };
  const auto work = [&](int size) {
    if (threshold && size >= *threshold) return 0.0;
    return (size / b) * full + (size % b ? rest_request(size % b) : 0.0);
  };
  const double mean = make_query_sizes(model.query_size)->expectation(work);
  if (!(mean > 0.0)) return std::nullopt;
  return mean;
}

}  // namespace

std::optional<double> cpu_stability_limit_qps(const Scenario& scenario) {
  const Fleet& fleet = scenario.fleet;
  std::optional<double> limit;
  auto bound = [&](double qps) { limit = limit ? std::min(*limit, qps) : qps; };
  double total_cores = 0.0;
  std::vector<bool> serving(fleet.groups.size(), false);
  // Per query of the mix, each model sharing cores everywhere at its cheapest kind: the work the
  // shared cores must carry at least (a model with instances somewhere may serve all its queries there).
  double cheapest_work = 0.0;
  for (const FleetModel& m : fleet.models) {
    double rate = 0.0;  // queries/s of this model its groups carry at full load
    double cheapest = std::numeric_limits<double>::infinity();
    bool known = !m.groups.empty(), shares = true;
    for (const int g : m.groups) {
      const ServerGroup& group = fleet.groups[static_cast<std::size_t>(g)];
      const auto kind = static_cast<std::size_t>(group.kind);
      const int shared = fleet.shared_cores(static_cast<std::size_t>(g));
      const auto work = mean_work(m, kind, fleet.kinds[kind], shared);
      const int instances = m.scheduler[kind].instances;
      shares = shares && instances == 0;
      if (instances == 0) serving[static_cast<std::size_t>(g)] = true;
      if (!work) {
        known = false;
        continue;
      }
      // Its workers on each server: its own instances, else the cores its models share.
      const int workers = instances > 0 ? instances : shared;
      rate += static_cast<double>(group.count) * workers / *work;
      cheapest = std::min(cheapest, *work);
    }
    if (!known || !(m.share > 0.0)) continue;
    bound(rate / m.share);
    if (shares) cheapest_work += m.share * cheapest;
  }
  for (std::size_t g = 0; g < fleet.groups.size(); ++g)
    if (serving[g]) total_cores += static_cast<double>(fleet.groups[g].count) * fleet.shared_cores(g);
  if (limit && cheapest_work > 0.0) bound(total_cores / cheapest_work);
  return limit;
}

}  // namespace recsim
