// The validation JSON of `recsim validate --out` (docs/validation.md): validation_report_json in
// sim/serving/serving_validation.h.
#include "sim/provenance/host_info.h"
#include "sim/serving/serving_validation.h"

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

json percentiles_json(double p50, double p95, double p99) { return {{"p50", p50}, {"p95", p95}, {"p99", p99}}; }

// Each request size served: how many, their mean time, the profile's back-to-back time.
json served_by_items_json(const ValidationLevel& l, const Scenario& scenario) {
  json sizes = json::array();
  for (const auto& [items, r] : l.real.served_by_items)
    if (r.requests > 0)
      sizes.push_back({{"items", items}, {"requests", r.requests}, {"mean_ms", r.seconds / static_cast<double>(r.requests) * 1e3},
                       {"profile_ms", scenario.fleet.models.front().first_service().curve->seconds_at(items) * 1e3}});
  return sizes;
}

// The service-time model request by request: by group, count, mean real and model ms.
json service_check_json(const ServiceCheck& c) {
  auto group = [](const ServiceCheckGroup& g) {
    return json{{"requests", g.requests}, {"real_ms", g.real_mean_ms()}, {"model_ms", g.model_mean_ms()}, {"error", g.error()},
                {"spread", g.spread()}};
  };
  return {{"all", group(c.all)}, {"idle_warm", group(c.idle_warm)}, {"idle_cold", group(c.idle_cold)},
          {"busy_warm", group(c.busy_warm)}, {"busy_cold", group(c.busy_cold)}};
}

json level_json(const ValidationReport& report, const ValidationLevel& l) {
  const auto& sim = *l.simulated.latency_ms;
  const std::optional<MachineShift> shift = machine_shift(l.check, report.drift(l.reference_ms));
  const double r50 = l.real.latency.percentile(50) * 1e3, r95 = l.real.latency.percentile(95) * 1e3, r99 = l.real.latency.percentile(99) * 1e3;
  const auto& replayed = l.replayed.latency_ms;
  return {{"load", l.load},
          {"qps", l.qps},
          {"simulated_ms", percentiles_json(sim.p50, sim.p95, sim.p99)},
          {"simulated_p95_range", {{"draws", l.simulated_p95.draws},
                                   {"low_ms", l.simulated_p95.low},
                                   {"high_ms", l.simulated_p95.high},
                                   {"real_inside", l.simulated_p95.contains(r95)}}},
          {"real_ms", percentiles_json(r50, r95, r99)},
          {"error", {{"p50", relative_error(sim.p50, r50)}, {"p95", relative_error(sim.p95, r95)}, {"p99", relative_error(sim.p99, r99)}}},
          {"simulated_cpu_utilization", l.simulated.cpu_utilization},
          {"service_ms_per_request", {{"profile", l.profile_ms_per_request},
                                      {"served", l.served_ms_per_request},
                                      {"error", relative_error(l.profile_ms_per_request, l.served_ms_per_request)}}},
          {"served_by_items", served_by_items_json(l, report.scenario)},
          {"service_check", service_check_json(l.check)},
          {"machine_drift", {{"reference_ms", l.reference_ms}, {"change", report.drift(l.reference_ms)}}},
          // The machine at another speed than at calibration (service_check.h, machine_shift), not the model.
          {"machine_moved", shift ? json{{"model_error", shift->model_error},
                                         {"evidence", shift->by_reference ? "reference and main groups" : "every group"}}
                                  : json(nullptr)},
          {"replayed_ms", replayed ? percentiles_json(replayed->p50, replayed->p95, replayed->p99) : json(nullptr)},
          {"replayed_error", replayed ? json({{"p50", relative_error(replayed->p50, r50)},
                                              {"p95", relative_error(replayed->p95, r95)},
                                              {"p99", relative_error(replayed->p99, r99)}})
                                      : json(nullptr)},
          // The real requests' own times through the queue: in their order, and with their deviations from the
          // model shuffled over the run (what a model of independent per-request variation can reproduce).
          {"order_replay", {{"in_order_p95_ms", l.order.in_order_p95_ms},
                            {"shuffled_p95", {{"draws", l.order.draws}, {"low_ms", l.order.shuffled_low_ms}, {"high_ms", l.order.shuffled_high_ms}}}}},
          {"real", {{"measured", l.real.measured},
                    {"throughput_qps", l.real.throughput_qps},
                    {"busy_fraction", l.real.busy_fraction},
                    {"mean_issue_lag_ms", l.real.mean_issue_lag_ms},
                    {"max_issue_lag_ms", l.real.max_issue_lag_ms},
                    {"wall_seconds", l.real.wall_seconds}}}};
}

}  // namespace

json validation_report_json(const ValidationReport& r) {
  json rows = json::array();
  for (const auto& l : r.levels) rows.push_back(level_json(r, l));
  const bool any = !r.levels.empty();
  const int generator_cpu = any ? r.levels.front().real.generator_cpu : -1;
  return {{"scenario", r.scenario.name},
          {"model", r.model},
          {"cores", r.cores},
          {"batch_size", r.batch},
          {"queries_per_load", r.scenario.run.queries},
          {"draws", r.draws},
          {"capacity_qps", r.capacity.max_qps},
          {"sla", {{"percentile", r.scenario.fleet.models.front().sla.percentile}, {"target_ms", r.scenario.fleet.models.front().sla.target_ms}}},
          {"profile", r.profile.empty() ? json(nullptr) : json(r.profile)},
          {"calibration", r.calibration},
          {"pinned_cpus", any ? r.levels.front().real.cpus : std::vector<int>{}},
          {"generator_cpu", generator_cpu < 0 ? json(nullptr) : json(generator_cpu)},
          {"host_cpu_model", host_cpu_model()},
          {"drift_check", {{"batch", r.largest_request},
                           {"profile_ms", r.profile_reference_ms},
                           {"after_last_load_ms", any ? json(r.reference_after_ms) : json(nullptr)},
                           {"after_last_load_change", any ? json(r.drift(r.reference_after_ms)) : json(nullptr)}}},
          {"loads", rows},
          {"provenance", r.provenance}};
}

}  // namespace recsim
