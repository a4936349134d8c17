// `recsim tune SCENARIO.json [--out FILE] [--set PATH=VALUE]... [--jobs N] [--grid] [--batches LIST]
//              [--thresholds LIST] [--precision P] [--search golden|climb] [--seeds N] [--csv FILE]
//              [--tuned-scenario FILE] [--slice-queries N] [--quiet]`:
// DeepRecSched's search with the capacity search as its measure (sim/search/tuning.h); on a fleet,
// per (model, server kind) and then the whole fleet (sim/search/fleet_tuning.h).
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/scenario_flags.h"
#include "sim/cli/list_parsing.h"
#include "sim/cli/output_path.h"
#include "sim/cli/step_log.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/profile_shape.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/fleet_tuning.h"
#include "sim/search/tuning.h"
#include "workloads/input_error.h"

#include <cstdint>
#include <cstdio>
#include <optional>
#include <memory>

namespace recsim {
namespace {

struct TuneFlags : ScenarioFlags {
  bool grid = false;
  std::string batches;
  std::string thresholds;
  std::string csv;
  std::string tuned_scenario;
  std::uint64_t slice_queries = 0;  // 0: the fleet's run.queries
  double precision = 0.01;
  std::string search = "golden";
  int seeds = 3;
};

std::string fmt_qps(double qps) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", qps);
  return b;
}

std::string summary(const Scenario& s, const TuneResult& r, const SeedSpread& spread, double wall) {
  char line[256];
  std::snprintf(line, sizeof line, "recsim tune: %s (seed %llu), max load with p%g <= %g ms (search: %s)\n", s.name.c_str(),
                static_cast<unsigned long long>(s.seed), s.fleet.models.front().sla.percentile, s.fleet.models.front().sla.target_ms, r.search.c_str());
  std::string out = line;
  std::snprintf(line, sizeof line, "  %-10s %10s %13s %14s\n", "step", "batch", "gpu threshold", "max qps");
  out += line;
  auto row = [&](const TunePoint& p) {
    const std::string t = p.config.gpu_threshold ? std::to_string(*p.config.gpu_threshold) : "-";
    if (p.screened) {
      std::string below = "< ";
      below += fmt_qps(p.below_qps);
      std::snprintf(line, sizeof line, "  %-10s %10d %13s %14s (missed there: screened out)\n", p.phase.c_str(), p.config.batch_size,
                    t.c_str(), below.c_str());
    } else
      std::snprintf(line, sizeof line, "  %-10s %10d %13s %14.6g\n", p.phase.c_str(), p.config.batch_size, t.c_str(),
                    p.max_qps);
    out += line;
  };
  row(r.baseline);
  for (const auto& p : r.path) row(p);
  const std::string t = r.best.config.gpu_threshold ? std::to_string(*r.best.config.gpu_threshold) : "none";
  std::snprintf(line, sizeof line, "  best: batch %d, gpu threshold %s: %.6g qps", r.best.config.batch_size, t.c_str(),
                r.best.max_qps);
  out += line;
  if (r.baseline.max_qps > 0) {
    std::snprintf(line, sizeof line, ", %.2fx the static baseline (batch %d, %.6g qps)", r.best.max_qps / r.baseline.max_qps,
                  r.baseline.config.batch_size, r.baseline.max_qps);
    out += line;
  }
  out += "\n";
  const auto ci = spread.ci95(r.best);
  std::snprintf(line, sizeof line, "  best's max load, 95%% interval: %.6g - %.6g qps (fitted profile and search precision %.1f%%",
                ci.first, ci.second, 100 * r.best.rel_uncertainty);
  out += line;
  if (spread.seeds.size() > 1) {
    std::snprintf(line, sizeof line, ", %zu seeds %.1f%%", spread.seeds.size(), 100 * spread.rel_sd);
    out += line;
  }
  out += ")\n";
  if (!(r.best.config == r.baseline.config) && r.best.max_qps > 0) {
    const bool beyond = gain_beyond_noise(r, spread);
    if (!(r.baseline.max_qps > 0))
      std::snprintf(line, sizeof line, "  the static baseline (batch %d) meets the SLA at no rate: %s\n", r.baseline.config.batch_size,
                    beyond ? "splitting is what meets it (the best's interval stays above zero)"
                           : "the best's interval reaches zero, so no gain can be claimed");
    else
      std::snprintf(line, sizeof line, "  %s\n",
                    beyond ? "the gain over the baseline is beyond noise (the two differ by more than 1.96 standard errors)"
                           : "the baseline is within noise of the best: no gain over it can be claimed");
    out += line;
  }
  if (r.indistinguishable.size() > 1) {
    out += "  within noise of the best (not to be told apart):";
    for (std::size_t i = 0; i < r.indistinguishable.size(); ++i) {
      const TunePoint& p = r.indistinguishable[i];
      std::snprintf(line, sizeof line, "%s %s (%.6g qps)", i ? ";" : "", tune_config_text(p.config).c_str(), p.max_qps);
      out += line;
    }
    out += "\n";
  }
  if (!(r.climb.config == r.best.config)) {
    const std::string ct = r.climb.config.gpu_threshold ? std::to_string(*r.climb.config.gpu_threshold) : "none";
    std::snprintf(line, sizeof line, "  the %s ended at batch %d, gpu threshold %s: %.6g qps, below the baseline, which is kept\n",
                  r.search == "climb" ? "climb" : "search", r.climb.config.batch_size, ct.c_str(), r.climb.max_qps);
    out += line;
  }
  if (r.grid_best) {
    const std::string gt = r.grid_best->config.gpu_threshold ? std::to_string(*r.grid_best->config.gpu_threshold) : "none";
    std::snprintf(line, sizeof line, "  grid optimum: batch %d, gpu threshold %s: %.6g qps (the %s reached %.1f%% of it, the best %.1f%%)\n",
                  r.grid_best->config.batch_size, gt.c_str(), r.grid_best->max_qps, r.search == "climb" ? "climb" : "search",
                  r.grid_best->max_qps > 0 ? 100 * r.climb.max_qps / r.grid_best->max_qps : 0.0,
                  r.grid_best->max_qps > 0 ? 100 * r.best.max_qps / r.grid_best->max_qps : 0.0);
    out += line;
  }
  std::snprintf(line, sizeof line, "  %d simulations (and %d for the other seeds) in %.2f s\n", r.evaluations, spread.evaluations, wall);
  return out + line;
}

// The outputs are checked before any work: none may overwrite an input or another output.
void check_outputs(const TuneFlags& f, const Scenario& scenario) {
  std::vector<std::string> written;
  const auto check = [&](const char* flag, const std::string& path) {
    if (path.empty()) return;
    check_output_path(flag, path, scenario.input_files(), written);
    written.push_back(path);
  };
  check("--out", f.out);
  check("--csv", f.csv);
  check("--tuned-scenario", f.tuned_scenario);
}

// Writes the outputs all or nothing: the tuning JSON (with `document`), the CSV and the tuned scenario.
void write_outputs(const TuneFlags& f, nlohmann::ordered_json document, const std::string& csv, const std::string& tuned_text) {
  std::vector<std::pair<std::string, std::string>> outputs;
  if (!f.out.empty()) {
    document["tuned_scenario"] = f.tuned_scenario.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.tuned_scenario);
    outputs.emplace_back(f.out, document.dump(2) + "\n");
  }
  if (!f.csv.empty()) outputs.emplace_back(f.csv, csv);
  if (!f.tuned_scenario.empty()) outputs.emplace_back(f.tuned_scenario, tuned_text);
  write_files_atomically(outputs);
}

int execute(const TuneFlags& f) {
  const Scenario scenario = load_scenario(f.scenario, f.sets);
  TuneRequest request;
  request.search = f.search;
  // parse_int_list sorts a ladder and rejects repeated values.
  if (!f.batches.empty()) request.batches = parse_int_list("--batches", f.batches, 1, 1'000'000'000);
  if (!f.thresholds.empty()) request.thresholds = parse_int_list("--thresholds", f.thresholds, 1, 1'000'000'000);
  request.grid = f.grid;
  request.precision = f.precision;
  request.jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  request.seeds = f.seeds;
  request.allow_large = f.allow_large;
  if (scenario.format >= 2) {
    const std::optional<std::uint64_t> slice_queries = f.slice_queries ? std::optional<std::uint64_t>(f.slice_queries) : std::nullopt;
    const FleetTunePlan plan = prepare_fleet_tune(scenario, request, slice_queries, f.scenario);
    check_outputs(f, scenario);
    if (f.validate_only) return kExitDone;
    const auto provenance = provenance_json(scenario);
    StepLog steps("recsim tune", f.quiet);
    request.step = [&](const std::string& text) { steps.step(text); };
    const FleetTuneReport report = run_fleet_tune(scenario, plan, request);
    steps.finish();
    auto document = fleet_tune_json(scenario, plan, report);
    document["provenance"] = provenance;
    write_outputs(f, document, fleet_tune_csv_header() + report.csv,
                  f.tuned_scenario.empty() ? "" : tuned_scenario_text(scenario, report.tuned, f.tuned_scenario));
    if (!f.quiet) std::fputs(fleet_tune_summary(scenario, plan, report).c_str(), stdout);
    if (!f.quiet) print_profile_shape_warnings(scenario);
    return kExitDone;
  }
  if (f.slice_queries)
    throw InputError("--slice-queries", "only for a fleet (a format-2 scenario): a format-1 scenario is tuned on its own servers");
  const TuneOptions options = prepare_tune(scenario, request, f.scenario);
  check_outputs(f, scenario);
  if (f.validate_only) return kExitDone;
  const auto provenance = provenance_json(scenario);
  StepLog steps("recsim tune", f.quiet);
  request.step = [&](const std::string& text) { steps.step(text); };
  const TuneReport report = run_tune(scenario, options, request);
  steps.finish();
  auto document = tune_report_json(scenario, report);
  document["provenance"] = provenance;
  const FleetConfigs best(1, std::vector<std::optional<TuneConfig>>(scenario.fleet.kinds.size(), report.result.best.config));
  write_outputs(f, document, tune_csv_header() + report.csv,
                f.tuned_scenario.empty() ? "" : tuned_scenario_text(scenario, best, f.tuned_scenario));
  if (!f.quiet) std::fputs(summary(scenario, report.result, report.spread, report.wall_seconds).c_str(), stdout);
  if (!f.quiet) print_profile_shape_warnings(scenario);  // notes after the answer
  return kExitDone;
}

}  // namespace

void add_tune_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<TuneFlags>();
  auto* cmd = app.add_subcommand("tune", "Search the per-core batch size and GPU offload threshold (DeepRecSched) for the most load under the SLA");
  ScenarioFlagHelp help;
  help.out = "the tuning JSON";
  help.jobs = "Simulations run at once (default: the CPUs this process may use)";
  add_scenario_flags(*cmd, *f, help);
  cmd->add_flag("--grid", f->grid, "Also evaluate every batch size of the ladder and compare with the search");
  cmd->add_option("--search", f->search, "The search: golden (golden-section over each ladder, the default) or climb (DeepRecSched's hill climbing)")
      ->check(CLI::IsMember(tune_search_names()));
  cmd->add_option("--seeds", f->seeds, "Seeds the best configuration's max load is measured at, for its interval (default 3; 1: the scenario's only)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--batches", f->batches, "Batch-size ladder (sorted; default 1,2,3,4,6,...,768,1024)")->check(non_empty());
  cmd->add_option("--thresholds", f->thresholds,
                  "GPU offload thresholds to climb (sorted; default 1,2,3,4,6,...,768,1024; needs GPUs)")->check(non_empty());
  cmd->add_option("--precision", f->precision, "Relative precision of each capacity search (default 0.01)")
      ->check(finite_in(1e-6, 1.0));
  cmd->add_option("--csv", f->csv, "Write every simulation (configuration, rate, percentile, verdict) as CSV to FILE")->check(non_empty());
  cmd->add_option("--tuned-scenario", f->tuned_scenario,
                  "Write the scenario with the best configuration (a fleet: each (model, kind)'s) to FILE, its file paths relative to FILE")
      ->check(non_empty());
  cmd->add_option("--slice-queries", f->slice_queries,
                  "A fleet's (format 2) one-server tuning runs: queries per simulation (default: the scenario's run.queries)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000'000}));
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
