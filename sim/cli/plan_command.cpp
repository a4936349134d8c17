// `recsim plan PLAN.json [--out FILE] [--set PATH=VALUE]... [--jobs N] [--quiet] [--validate-only] [--allow-large]`: capacity
// planning (docs/planning.md; the planner is sim/planning/fleet_plan.h).
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/output_path.h"
#include "sim/engine/atomic_file.h"
#include "sim/planning/fleet_plan.h"
#include "sim/planning/plan_spec.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/capacity_search.h"
#include "workloads/input_error.h"

#include <unistd.h>

#include <cstdio>
#include <memory>

namespace recsim {
namespace {

struct PlanFlags {
  std::string plan;
  std::string out;
  std::vector<std::string> sets;  // applied to the fleet
  int jobs = 0;
  bool quiet = false;
  bool validate_only = false;
  bool allow_large = false;
};

void print_summary(const PlanSpec& plan, const PlanReport& report) {
  std::printf("recsim plan %s: fleet %s, objective %s\n", plan.name.c_str(), plan.fleet_file.c_str(), plan.objective.c_str());
  std::printf("  one server, one model, within its SLA (qps):\n");
  for (const auto& c : report.capacities) {
    std::printf("    %-14s on %-16s %12.6g%s\n", c.model.c_str(), c.kind.c_str(), c.max_qps, c.found ? "" : "  (cannot serve it)");
    if (c.missed_below_qps) std::printf("      note: %s\n", missed_below_text(*c.missed_below_qps).c_str());
  }
  std::printf("  %12s %8s  %-40s %12s %10s  %s\n", "target qps", "servers", "by kind", plan.objective.c_str(), "power W", "verified");
  std::size_t simulations = 0;
  for (const auto& f : report.fleets) {
    simulations += f.attempts.size();
    std::string by;
    for (const auto& [k, n] : f.servers_by_kind) by += (by.empty() ? "" : ", ") + k + " " + std::to_string(n);
    const auto& energy = f.verification.datacenter->energy;
    const std::string power = energy ? std::to_string(static_cast<long>(energy->mean_power_w)) : "-";
    const std::size_t n = f.attempts.size();
    const std::string verified = f.verified ? "yes (" + std::to_string(n) + " simulation" + (n > 1 ? "s" : "") + ")"
                                            : "NO: a model still misses its SLA";
    std::printf("  %12.6g %8d  %-40s %12.6g %10s  %s\n", f.target.total_qps, f.servers, by.c_str(), f.objective_total, power.c_str(),
                verified.c_str());
  }
  std::printf("  %d capacity evaluations and %zu fleet simulations in %.1f s\n", report.capacity_evaluations, simulations,
              report.wall_seconds);
}

int execute(const PlanFlags& f) {
  const PlanSpec plan = load_plan(f.plan, f.sets);
  if (!f.out.empty()) check_output_path("--out", f.out, {f.plan, plan.fleet_file});
  try {
    check_plan_resources(plan, f.allow_large);
  } catch (const InputError& e) {
    throw InputError(f.plan + ": the fleet in pools (one per model and kind): " + e.where(), e.expected());
  }
  if (f.validate_only) return kExitDone;

  PlanOptions o;
  o.jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  o.allow_large = f.allow_large;
  const bool progress = !f.quiet && ::isatty(STDERR_FILENO);
  if (progress) o.progress = [](const std::string& text) { std::fprintf(stderr, "\r%s\033[K", text.c_str()); };
  const PlanReport report = make_plan(plan, o);
  if (progress) std::fprintf(stderr, "\r\033[K");

  if (!f.out.empty()) {
    auto doc = plan_report_json(plan, report);
    doc["provenance"] = provenance_json(load_scenario(plan.fleet_file, {}));
    write_file_atomically(f.out, doc.dump(1) + "\n");
  }
  bool all_verified = true;
  for (const auto& fl : report.fleets) {
    if (fl.verified) continue;
    all_verified = false;
    // Said even with --quiet: the exit status alone does not say which target failed.
    std::string missed;
    for (const auto& m : fl.attempts.back().missed) missed += (missed.empty() ? "" : ", ") + m;
    std::fprintf(stderr, "recsim plan: target %.6g qps not verified after %zu simulations: %s\n", fl.target.total_qps, fl.attempts.size(),
                 missed.empty() ? "the fleet saturated" : ("still missing its SLA: " + missed).c_str());
  }
  if (!f.quiet) print_summary(plan, report);
  return all_verified ? kExitDone : kExitFailure;
}

}  // namespace

void add_plan_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<PlanFlags>();
  auto* cmd = app.add_subcommand("plan", "Capacity planning: the cheapest fleet whose every model meets its SLA at each target load");
  cmd->add_option("plan", f->plan, "Plan JSON file (docs/planning.md)")->required()->check(non_empty());
  cmd->add_option("--out", f->out, "Write the plan JSON to FILE (atomically)")->check(non_empty());
  cmd->add_option("--set", f->sets, "Override a value of the plan's fleet scenario before validation: PATH=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->check(non_empty());
  cmd->add_option("--jobs", f->jobs, "Simulations run at once (default: the CPUs this process may use)")->check(CLI::Range(1, 1024));
  cmd->add_flag("--quiet", f->quiet, "Print nothing on success");
  cmd->add_flag("--validate-only", f->validate_only, "Check the plan and its fleet (exit 2 with one line if invalid), then exit 0");
  cmd->add_flag("--allow-large", f->allow_large, "Run verifications and probes beyond the resource estimate's limits (docs/scenario-format.md)");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
