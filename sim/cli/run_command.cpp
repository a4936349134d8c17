// `recsim run SCENARIO.json [--out FILE] [--set PATH=VALUE]... [--seed N] [--quiet]`
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/scenario_flags.h"
#include "sim/cli/output_path.h"
#include "sim/cli/progress_bar.h"
#include "sim/engine/atomic_file.h"
#include "sim/engine/simulation.h"
#include "sim/metrics/results_json.h"
#include "sim/metrics/summary_table.h"
#include "sim/metrics/time_series_json.h"
#include "sim/metrics/trace_recorder.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/profile_shape.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "workloads/input_error.h"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace recsim {
namespace {

struct RunFlags : ScenarioFlags {
  std::optional<std::string> seed;  // checked by parse_seed
  std::string cdf;
  std::string series;
  std::string trace;
  std::uint64_t trace_queries = 10000;
  double trace_from = 0.0;
};

int execute(const RunFlags& flags) {
  const std::optional<std::uint64_t> seed = flags.seed ? std::optional(parse_seed("--seed", *flags.seed)) : std::nullopt;
  Scenario scenario = load_scenario(flags.scenario, flags.sets);
  if (seed) scenario.seed = *seed;
  check_resources(scenario, flags.allow_large);
  if (!flags.out.empty()) check_output_path("--out", flags.out, scenario.input_files());
  if (!flags.cdf.empty())
    check_output_path("--cdf", flags.cdf, scenario.input_files(), flags.out.empty() ? std::vector<std::string>{} : std::vector<std::string>{flags.out});
  if (!flags.series.empty()) {
    if (!scenario.run.window_s)
      throw InputError("--series", "the scenario has no run.window_s to cut the run into windows: add it, or pass --set run.window_s=SECONDS");
    std::vector<std::string> others;
    if (!flags.out.empty()) others.push_back(flags.out);
    if (!flags.cdf.empty()) others.push_back(flags.cdf);
    check_output_path("--series", flags.series, scenario.input_files(), others);
  }
  if (!flags.trace.empty()) {
    std::vector<std::string> others;
    for (const std::string* f : {&flags.out, &flags.cdf, &flags.series})
      if (!f->empty()) others.push_back(*f);
    check_output_path("--trace", flags.trace, scenario.input_files(), others);
  }
  if (flags.validate_only) return kExitDone;

  const auto provenance = provenance_json(scenario);  // inputs hashed before any work

  SimulationOptions options;
  options.latency_cdf = !flags.cdf.empty();
  TraceRecorder trace(scenario.fleet, {flags.trace_queries, flags.trace_from});
  if (!flags.trace.empty()) options.observers.push_back(&trace);
  ProgressBar bar;
  const bool show_progress = !flags.quiet && ::isatty(STDERR_FILENO);
  if (show_progress) options.progress = [&bar](const Progress& p) { bar.update(p); };
  const RunResults results = simulate(scenario, options);
  if (show_progress) bar.finish();

  std::vector<std::pair<std::string, std::string>> outputs;  // written all or nothing
  if (!flags.out.empty()) {
    auto document = results_to_json(results);
    document["provenance"] = provenance;
    outputs.emplace_back(flags.out, document.dump(2) + "\n");
  }
  if (!flags.cdf.empty()) {
    std::string text = "latency_ms,fraction\n";
    char row[64];
    for (const auto& [ms, fraction] : results.latency_cdf_ms) {
      std::snprintf(row, sizeof row, "%.9g,%.9g\n", ms, fraction);
      text += row;
    }
    outputs.emplace_back(flags.cdf, text);
  }
  if (!flags.series.empty()) outputs.emplace_back(flags.series, time_series_csv(*results.time_series));
  if (!flags.trace.empty()) outputs.emplace_back(flags.trace, trace.json(scenario.name, scenario.seed));
  write_files_atomically(outputs);
  if (!flags.quiet) std::fputs(format_summary(results).c_str(), stdout);
  if (!flags.quiet) print_profile_shape_warnings(scenario);  // notes after the answer
  return kExitDone;
}

}  // namespace

void add_run_command(CLI::App& app, std::function<int()>& run) {
  auto flags = std::make_shared<RunFlags>();
  auto* cmd = app.add_subcommand("run", "Simulate one scenario and report latency, throughput and the SLA verdict");
  ScenarioFlagHelp help;
  help.out = "the results JSON";
  help.quiet = "Print nothing on success (no summary, no progress bar)";
  add_scenario_flags(*cmd, *flags, help);
  cmd->add_option("--seed", flags->seed, "Random seed (overrides the scenario's \"seed\")")->check(non_empty());
  cmd->add_option("--cdf", flags->cdf, "Write the measured latency distribution as CSV (latency_ms,fraction) to FILE")->check(non_empty());
  cmd->add_option("--series", flags->series, "Write the results over time (run.window_s) as CSV, one line per window, to FILE")->check(non_empty());
  cmd->add_option("--trace", flags->trace, "Write a timeline of the run to FILE in the Chrome trace event format (open it in Perfetto)")->check(non_empty());
  cmd->add_option("--trace-queries", flags->trace_queries, "With --trace: how many queries to trace (default 10,000)")
      ->check(CLI::Range(std::uint64_t{1}, TraceRecorder::kMaxQueries));
  cmd->add_option("--trace-from", flags->trace_from, "With --trace: trace the queries arriving from this virtual time on, in seconds (default 0)")
      ->check(CLI::Range(0.0, 1e9));
  cmd->callback([flags, &run] { run = [flags] { return execute(*flags); }; });
}

}  // namespace recsim
