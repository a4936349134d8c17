// `recsim capacity SCENARIO.json [--out FILE] [--set PATH=VALUE]... [--jobs N] [--precision P] [--quiet]`:
// the highest Poisson rate whose SLA percentile meets the target (sim/search/capacity_search.h).
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/scenario_flags.h"
#include "sim/cli/output_path.h"
#include "sim/cli/step_log.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/profile_shape.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/capacity_search.h"
#include "workloads/input_error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

namespace recsim {
namespace {

struct CapacityFlags : ScenarioFlags {
  double precision = 0.01;
};

// The SLA the search holds: the scenario's; in format 2 every model's own (all must be met), and the
// observed figures of each point are the binding model's.
nlohmann::ordered_json sla_json(const Scenario& s) {
  using json = nlohmann::ordered_json;
  if (s.format < 2) return {{"percentile", s.fleet.models.front().sla.percentile}, {"target_ms", s.fleet.models.front().sla.target_ms}};
  json models = json::array();
  for (const auto& m : s.fleet.models) models.push_back({{"model", m.name}, {"percentile", m.sla.percentile}, {"target_ms", m.sla.target_ms}});
  return {{"every_model", true}, {"models", models}};
}

nlohmann::ordered_json to_json(const Scenario& s, const CapacityResult& r, const CapacityOptions& o, double wall) {
  using json = nlohmann::ordered_json;
  json points = json::array();
  for (const auto& p : r.points)
    points.push_back({{"qps", p.qps},
                      {"observed_ms", p.observed_ms ? json(*p.observed_ms) : json(nullptr)},
                      {"ci95_ms", p.ci95_ms ? json::array({p.ci95_ms->first, p.ci95_ms->second}) : json(nullptr)},
                      {"met", p.met},
                      {"saturated", p.saturated},
                      {"stopped_early", p.stopped_early}});
  return {{"scenario", s.name},
          {"seed", s.seed},
          {"max_qps", r.max_qps},
          {"found", r.found},
          {"note", r.note.empty() ? json(nullptr) : json(r.note)},
          {"missed_qps", r.missed_qps ? json(*r.missed_qps) : json(nullptr)},
          {"missed_below_qps", r.missed_below_qps ? json(*r.missed_below_qps) : json(nullptr)},
          {"saturation_bound_qps", r.saturation_bound_qps ? json(*r.saturation_bound_qps) : json(nullptr)},
          {"stability_limit_qps", r.stability_limit_qps ? json(*r.stability_limit_qps) : json(nullptr)},
          {"precision", o.precision},
          {"sla", sla_json(s)},
          {"evaluations", r.points.size()},
          {"points", points},
          {"engine", {{"wall_seconds", wall}, {"jobs", o.jobs}, {"queries_per_evaluation", s.run.queries},
                      {"speculative_evaluations", r.speculative}}}};
}

std::string summary(const Scenario& s, const CapacityResult& r, double wall) {
  char line[200];
  if (s.format < 2)
    std::snprintf(line, sizeof line, "recsim capacity: %s (seed %llu), p%g <= %g ms\n", s.name.c_str(),
                  static_cast<unsigned long long>(s.seed), s.fleet.models.front().sla.percentile, s.fleet.models.front().sla.target_ms);
  else
    std::snprintf(line, sizeof line, "recsim capacity: %s (seed %llu), every model within its own SLA (observed: the binding model's)\n",
                  s.name.c_str(), static_cast<unsigned long long>(s.seed));
  std::string out = line;
  std::snprintf(line, sizeof line, "  %12s  %12s  %23s  %s\n", "qps", "observed ms", "95% interval (ms)", "verdict");
  out += line;
  for (const auto& p : r.points) {
    char ci[64] = "-";
    if (p.ci95_ms) std::snprintf(ci, sizeof ci, "[%.4g, %.4g]", p.ci95_ms->first, p.ci95_ms->second);
    char obs[32] = "-";
    if (p.observed_ms) std::snprintf(obs, sizeof obs, "%.4g", *p.observed_ms);
    std::snprintf(line, sizeof line, "  %12.6g  %12s  %23s  %s\n", p.qps, obs, ci,
                  p.saturated ? "saturated" : (p.met ? "met" : (p.stopped_early ? "missed (stopped early)" : "missed")));
    out += line;
  }
  if (r.found)
    std::snprintf(line, sizeof line, "  max load under SLA: %.6g qps (missed at %.6g), %zu evaluations in %.2f s\n",
                  r.max_qps, *r.missed_qps, r.points.size(), wall);
  else
    std::snprintf(line, sizeof line, "  no capacity found: %s (%zu evaluations, %.2f s)\n", r.note.c_str(),
                  r.points.size(), wall);
  out += line;
  if (r.missed_below_qps) out += "  note: " + missed_below_text(*r.missed_below_qps) + "\n";
  return out;
}

int execute(const CapacityFlags& f) {
  const Scenario scenario = load_scenario(f.scenario, f.sets);
  // A trace's rate is varied by scaling its time axis (workload.arrival.qps); one whose arrivals all
  // come at once has no rate.
  if (scenario.arrival.from_trace() && scenario.arrival.trace_recorded_qps == 0.0)
    throw InputError("workload.arrival.file", "recsim capacity varies the arrival rate, and this trace's arrivals all come at time 0");
  check_resources(scenario, f.allow_large);  // at the starting rate
  {  // and what no machine can do at the lowest rate the search may try (its virtual time is longest)
    Scenario slowest = scenario;
    slowest.arrival.qps = lowest_searchable_qps(scenario, f.allow_large);
    check_resources(slowest, true);
  }
  if (!f.out.empty()) check_output_path("--out", f.out, scenario.input_files());
  if (f.validate_only) return kExitDone;
  const auto provenance = provenance_json(scenario);
  CapacityOptions o;
  o.precision = f.precision;
  o.jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  o.allow_large = f.allow_large;
  const auto started = std::chrono::steady_clock::now();
  StepLog steps("recsim capacity", f.quiet);
  const RateEvaluator isolated = isolated_evaluator(o.jobs);
  const RateEvaluator evaluator = [&](const std::vector<Scenario>& batch) {
    std::vector<RunResults> results = isolated(batch);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const RunResults& x = results[i];
      char text[160];
      if (x.saturated)
        std::snprintf(text, sizeof text, "%.6g qps: saturated", batch[i].arrival.qps);
      else if (x.sla_observed_ms)
        std::snprintf(text, sizeof text, "%.6g qps: %s, p%g %.4g ms", batch[i].arrival.qps, x.sla_met ? "met" : "missed",
                      scenario.fleet.models.front().sla.percentile, *x.sla_observed_ms);
      else
        std::snprintf(text, sizeof text, "%.6g qps: %s", batch[i].arrival.qps, x.sla_met ? "met" : "missed");
      steps.step(text);
    }
    return results;
  };
  const CapacityResult r = find_capacity(scenario, o, evaluator);
  steps.finish();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (!f.out.empty()) {
    auto document = to_json(scenario, r, o, wall);
    document["provenance"] = provenance;
    write_file_atomically(f.out, document.dump(2) + "\n");
  }
  if (!f.quiet) std::fputs(summary(scenario, r, wall).c_str(), stdout);
  if (!f.quiet) print_profile_shape_warnings(scenario);  // notes after the answer
  return kExitDone;
}

}  // namespace

void add_capacity_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<CapacityFlags>();
  auto* cmd = app.add_subcommand("capacity", "Find the highest Poisson rate that meets the SLA");
  ScenarioFlagHelp help;
  help.out = "the capacity JSON";
  help.jobs = "Simulations run at once (default: the CPUs this process may use)";
  add_scenario_flags(*cmd, *f, help);
  cmd->add_option("--precision", f->precision, "Relative width of the final bracket (default 0.01)")
      ->check(finite_in(1e-6, 1.0));
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
