// `recsim check SUITE_DIR [--jobs N] [--update] [--seeds K] [--false-fail P] [--reseed N] [--out FILE]
// [--quiet]`: the regression suite (sim/sweep/suite_runner.h, docs/regression-suite.md). Exit 1 on
// any failure; --update records the expected results and prints what moved.
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/output_path.h"
#include "sim/cli/command_in_process.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "sim/sweep/suite_runner.h"

#include <unistd.h>

#include <cstdio>
#include <memory>

namespace recsim {
namespace {

struct CheckFlags {
  std::string suite;
  int jobs = 0;
  bool update = false;
  int seeds = 32;
  double false_fail = 0.001;
  std::uint64_t reseed = 0;
  std::string out;
  bool quiet = false;
};

// One case's lines: its verdict, then each metric that failed.
std::string case_text(const SuiteCaseResult& c) {
  char line[512];
  if (c.verdict == "error") {
    std::snprintf(line, sizeof line, "  %-30s the run failed (%s)\n", c.name.c_str(), c.error.c_str());
    return line;
  }
  if (c.verdict == "not recorded") {
    std::snprintf(line, sizeof line, "  %-30s NOT RECORDED: two runs at the same seed differ\n", c.name.c_str());
    return line;
  }
  if (c.verdict == "recorded") {
    std::snprintf(line, sizeof line, "  %-30s recorded (%zu metrics)%s\n", c.name.c_str(), c.recorded_metrics,
                  c.moved.empty() ? ", nothing moved" : "");
    return line + c.moved;
  }
  int checked = 0, failed = 0;
  std::string details;
  for (const auto& m : c.metrics) {
    if (m.checked) ++checked;
    if (m.pass) continue;
    ++failed;
    if (m.band)
      std::snprintf(line, sizeof line, "    %s: expected %s (allowed %s to %s), got %s%s\n", m.metric.c_str(),
                    metric_number_text(m.expected).c_str(), metric_number_text(m.band->first).c_str(),
                    metric_number_text(m.band->second).c_str(), metric_number_text(m.actual).c_str(),
                    m.note.empty() ? "" : (" (" + m.note + ")").c_str());
    else
      std::snprintf(line, sizeof line, "    %s: expected %s, got %s\n", m.metric.c_str(), m.expected.dump().c_str(), m.actual.dump().c_str());
    details += line;
  }
  if (!c.identical) details += "    fingerprint: two runs at the same seed gave different results\n";
  std::snprintf(line, sizeof line, "  %-30s %4d/%-4d %12.2f %12s  %s\n", c.name.c_str(), checked - failed, checked, c.worst_in_tolerances,
                c.identical ? "identical" : "DIFFERENT", c.verdict == "pass" ? "pass" : "FAIL");
  return line + details;
}

std::string report_text(const SuiteReport& r) {
  char line[512];
  std::snprintf(line, sizeof line, "recsim check %s: %zu scenarios, %zu runs in %.1f s (%d at once)%s\n", r.suite.c_str(), r.cases.size(),
                r.runs, r.wall_seconds, r.jobs, r.update ? ", recording" : "");
  std::string text = line;
  if (!r.update) {
    std::snprintf(line, sizeof line, "  %-30s %9s %12s %12s  %s\n", "scenario", "metrics", "worst (tol.)", "fingerprint", "verdict");
    text += line;
  }
  for (const auto& c : r.cases) text += case_text(c);
  std::snprintf(line, sizeof line, "%s: %zu of %zu scenarios %s\n", r.failures ? "FAILED" : "passed",
                r.cases.size() - static_cast<std::size_t>(r.failures), r.cases.size(), r.update ? "recorded" : "pass");
  return text + line;
}

int execute(const CheckFlags& f) {
  SuiteOptions o;
  o.jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  o.update = f.update;
  o.seeds = f.seeds;
  o.false_fail = f.false_fail;
  o.reseed = f.reseed;
  o.validate = [](const std::vector<std::string>& args, std::string* error) { return validate_in_process(args, error); };
  o.in_process = [](const std::vector<std::string>& args) { return run_in_process(args); };
  if (!f.quiet && ::isatty(STDERR_FILENO))
    o.progress = [](std::size_t done, std::size_t total) { std::fprintf(stderr, "\rrecsim check: %zu/%zu runs\033[K", done, total); };
  std::vector<SuiteCase> cases = prepare_suite(f.suite, o);
  if (!f.out.empty()) check_output_path("--out", f.out);
  const SuiteReport report = run_suite(f.suite, std::move(cases), o);
  if (o.progress) std::fprintf(stderr, "\r\033[K");
  if (!f.quiet || report.failures) std::fputs(report_text(report).c_str(), report.failures ? stderr : stdout);
  if (!f.out.empty()) write_file_atomically(f.out, suite_report_json(report).dump(1) + "\n");
  return report.failures ? kExitFailure : kExitDone;
}

}  // namespace

void add_check_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<CheckFlags>();
  auto* cmd = app.add_subcommand("check", "Run a regression suite: every scenario against its expected results and tolerances");
  cmd->add_option("suite", f->suite, "Suite directory: NAME.json scenarios and expected/NAME.json")->required()->check(non_empty());
  cmd->add_option("--jobs", f->jobs, "Runs at once (default: the CPUs this process may use)")->check(CLI::Range(1, 1024));
  cmd->add_flag("--update", f->update, "Record the expected results and their tolerances (runs --seeds other seeds too), and print what moved");
  cmd->add_option("--seeds", f->seeds, "With --update: other seeds run beside the scenario's; their spread sets the tolerances (default 32)")
      ->check(CLI::Range(2, 1000));
  cmd->add_option("--false-fail", f->false_fail,
                  "With --update: the chance that a whole suite run fails when only random streams change (default 0.001)")
      ->check(finite_in(1e-12, 0.5));
  cmd->add_option("--reseed", f->reseed,
                  "Run every scenario at its seed + N instead (N >= 1; above --seeds, a seed the recording did not use): "
                  "checks that the tolerances hold for other random streams")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--out", f->out, "Write the report as JSON to FILE")->check(non_empty());
  cmd->add_flag("--quiet", f->quiet, "Print nothing when every scenario passes");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
