// `recsim validate SCENARIO.json [--profile FILE] [--profile-out FILE] [--cores N] [--loads LIST]
//                 [--queries N] [--draws N] [--set PATH=VALUE]... [--out FILE] [--jobs N] [--quiet] [--validate-only]`:
// serves the scenario's model for real on this machine and simulates the same server
// (sim/serving/serving_validation.h); reports both latency distributions and the simulation's
// error (docs/validation.md).
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/scenario_flags.h"
#include "sim/cli/list_parsing.h"
#include "sim/cli/output_path.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "sim/serving/serving_validation.h"

#include <cstdio>
#include <memory>
#include <string>

namespace recsim {
namespace {

struct ValidateFlags : ScenarioFlags {
  std::string profile;      // a CPU profile to use instead of calibrating
  std::string profile_out;  // where the calibrated profile is kept
  std::string loads = "0.3,0.6,0.85";
  int cores = 0;            // 0: the CPUs this process may use
  int queries = 5000;
  int draws = 20;
  std::string command_line;
};

// Simulated against real latencies per load.
void print_comparison(const ValidationReport& r) {
  std::printf("  load      qps |  simulated p50    p95    p99 ms |  real p50    p95    p99 ms | p95 error | simulated p95 over draws\n");
  for (const auto& l : r.levels) {
    const auto& sim = *l.simulated.latency_ms;
    const double r50 = l.real.latency.percentile(50) * 1e3, r95 = l.real.latency.percentile(95) * 1e3,
                 r99 = l.real.latency.percentile(99) * 1e3;
    std::printf("  %4.0f%% %8.6g |  %13.4g %6.4g %6.4g    | %9.4g %6.4g %6.4g    | %+8.1f%% | %.4g-%.4g%s\n", 100 * l.load, l.qps, sim.p50,
                sim.p95, sim.p99, r50, r95, r99, 100 * relative_error(sim.p95, r95), l.simulated_p95.low, l.simulated_p95.high,
                l.simulated_p95.contains(r95) ? " (real inside)" : "");
  }
}

// Where the p95 error comes from.
void print_causes(const ValidationReport& r) {
  std::fputs(
      "  where the p95 error comes from: the profile's time per request against the served one, and the\n"
      "  simulation replayed with the served times per request size (the queueing model's own error); the real\n"
      "  requests' own times through the queue, in their order and with their deviations from the model shuffled\n"
      "  (what the real p95 owes to when the machine was slow, not how slow)\n"
      "  load | ms per request: profile  served  error | replayed p95 ms  error | real times p95 ms: in order, shuffled"
      " | machine vs profile\n",
      stdout);
  for (const auto& l : r.levels) {
    if (!l.replayed.latency_ms) continue;
    const double r95 = l.real.latency.percentile(95) * 1e3;
    char order[64];
    std::snprintf(order, sizeof order, "%.4g, %.4g-%.4g", l.order.in_order_p95_ms, l.order.shuffled_low_ms, l.order.shuffled_high_ms);
    std::printf("  %3.0f%% |               %9.4g %7.4g %+6.1f%% | %15.4g %+6.1f%% | %-37s | %+.1f%%\n", 100 * l.load,
                l.profile_ms_per_request, l.served_ms_per_request, 100 * relative_error(l.profile_ms_per_request, l.served_ms_per_request),
                l.replayed.latency_ms->p95, 100 * relative_error(l.replayed.latency_ms->p95, r95), order, 100 * r.drift(l.reference_ms));
  }
}

// The service-time model against each request's time on its core.
void print_checks(const ValidationReport& r) {
  std::fputs(
      "  the service-time model against each request's time on its core as served (wake-up and hand-over included)\n"
      "  load | ms per request, model / real (error) for all, spread | found the core idle   | queued, warm size     | queued, cold size\n"
      "  (spread: the standard deviation of ln(real / model) over the requests: one request's own variation)\n",
      stdout);
  auto cell = [](const ServiceCheckGroup& g) {
    char c[64];
    std::snprintf(c, sizeof c, "%.3g / %.3g (%+.0f%%)", g.model_mean_ms(), g.real_mean_ms(), 100 * g.error());
    return std::string(c);
  };
  for (const auto& l : r.levels) {
    ServiceCheckGroup idle = l.check.idle_warm;
    idle.add(l.check.idle_cold);
    char spread[16];
    std::snprintf(spread, sizeof spread, ", %.2f", l.check.all.spread());
    const std::string all = cell(l.check.all) + spread;
    std::printf("  %3.0f%% | %-49s | %-21s | %-21s | %s\n", 100 * l.load, all.c_str(), cell(idle).c_str(), cell(l.check.busy_warm).c_str(),
                cell(l.check.busy_cold).c_str());
    if (const std::optional<MachineShift> shift = machine_shift(l.check, r.drift(l.reference_ms)))
      std::printf("  %3.0f%% | %s (at least %+.0f%%): the machine ran %s than when the profile was measured\n", 100 * l.load,
                  shift->by_reference ? "the found-idle and queued warm groups off as the reference timing moved" : "every group off alike",
                  100 * shift->model_error, shift->model_error < 0 ? "slower" : "faster");
  }
}

void print_summary(const ValidationReport& r) {
  std::printf("recsim validate: %s on %d cores of this machine (%s), batch %d, %d queries per load\n", r.model.c_str(), r.cores,
              host_cpu_model().c_str(), r.batch, static_cast<int>(r.scenario.run.queries));
  if (!r.levels.empty() && r.levels.front().real.generator_cpu >= 0)
    std::printf("  load generator pinned to CPU %d, apart from the workers\n", r.levels.front().real.generator_cpu);
  std::printf("  simulated capacity %.6g qps (p%g <= %g ms)\n", r.capacity.max_qps, r.scenario.fleet.models.front().sla.percentile, r.scenario.fleet.models.front().sla.target_ms);
  print_comparison(r);
  print_causes(r);
  print_checks(r);
  if (!r.levels.empty())
    std::printf("  (machine: the profile's %d-item point, %.4g ms, timed again the calibration's way before each load; "
                "after the last: %+.1f%%)\n",
                r.largest_request, r.profile_reference_ms, 100 * r.drift(r.reference_after_ms));
}

int execute(const ValidateFlags& f) {
  ValidationOptions o;
  o.loads = parse_open_interval_list("--loads", f.loads, 0.0, 1.0);
  o.cores = f.cores;
  o.queries = f.queries;
  o.draws = f.draws;
  o.jobs = f.jobs;
  o.profile = f.profile;
  o.profile_out = f.profile_out;
  o.sets = f.sets;
  o.command_line = f.command_line;
  o.quiet = f.quiet;
  const ValidationSetup setup = prepare_validation(f.scenario, o);
  if (!f.out.empty()) check_output_path("--out", f.out, setup.inputs);
  if (!f.profile_out.empty()) check_output_path("--profile-out", f.profile_out, setup.inputs);
  if (f.validate_only) return kExitDone;
  const ValidationReport report = validate_serving(f.scenario, setup, o);
  if (!f.out.empty()) write_file_atomically(f.out, validation_report_json(report).dump(2) + "\n");
  if (!f.quiet) print_summary(report);
  return kExitDone;
}

}  // namespace

void add_validate_command(CLI::App& app, std::function<int()>& run, const std::string& command_line) {
  auto f = std::make_shared<ValidateFlags>();
  f->command_line = command_line;
  auto* cmd = app.add_subcommand("validate", "Serve the scenario's model for real on this machine and compare with the simulation");
  ScenarioFlagHelp help;
  help.scenario = "Scenario JSON file (one server, CPU only, a model service, the static split)";
  help.out = "the validation JSON";
  help.jobs = "Simulations run at once in the capacity search (default: the CPUs this process may use)";
  help.allow_large = false;
  add_scenario_flags(*cmd, *f, help);
  cmd->add_option("--profile", f->profile, "Use this CPU profile instead of calibrating the model here first")->check(non_empty());
  cmd->add_option("--profile-out", f->profile_out, "Keep the profile calibrated here in FILE (atomically)")->check(non_empty());
  cmd->add_option("--cores", f->cores, "Serving cores, one pinned worker each (default: the CPUs this process may use)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--loads", f->loads, "Fractions of the simulated capacity to serve at, each in [0.01, 1) (default 0.3,0.6,0.85)")->check(non_empty());
  cmd->add_option("--queries", f->queries, "Queries per load, a tenth of them warm-up (default 5000)")->check(CLI::Range(100, 10000000));
  cmd->add_option("--draws", f->draws,
                  "Simulate each load's queries with this many draws of the requests' own variation, and replay the real "
                  "requests' times with this many shufflings of their deviations; report the p95's ranges (default 20)")
      ->check(CLI::Range(1, 1000));
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
