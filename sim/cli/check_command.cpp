// `recsim check SUITE_DIR [--jobs N] [--update] [--seeds K] [--false-fail P] [--reseed N] [--out FILE]
// [--quiet]`: the regression suite (sim/sweep/regression_suite.h, docs/regression-suite.md). Every
// scenario SUITE_DIR/*.json, unchanged since recorded (its and its inputs' hashes), runs twice at its
// seed (or its seed + N), in parallel: the two results must be byte-identical (the fingerprint
// check), and each metric must lie within its tolerance of SUITE_DIR/expected/NAME.json. Exit 1 on
// any failure. --update instead records the expected results (the seed and K other seeds, for the
// tolerances) and prints what moved.
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/output_path.h"
#include "sim/cli/validate_in_process.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/build_version.h"
#include "sim/provenance/host_info.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/sweep/process_pool.h"
#include "sim/sweep/regression_suite.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

namespace recsim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

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

struct Case {
  std::string name;      // NAME of NAME.json
  std::string scenario;  // SUITE_DIR/NAME.json
  std::string expected;  // SUITE_DIR/expected/NAME.json
  std::uint64_t seed = 0;
  std::vector<std::size_t> tasks;  // [0], [1]: the two runs at the seed; then the other seeds
};

std::optional<json> read_results(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  try {
    return json::parse(s.str());
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// The results without what legitimately differs between two runs: the wall time and provenance.
std::string fingerprint(json results) {
  if (results.contains("engine") && results["engine"].is_object()) results["engine"].erase("wall_seconds");
  results.erase("provenance");
  return results.dump();
}

std::string number_text(const json& v) {
  if (v.is_null()) return "null";
  if (!v.is_number()) return v.dump();
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v.get<double>());
  return text;
}

int execute(const CheckFlags& f) {
  std::error_code ec;
  if (f.update && f.reseed) throw InputError("--reseed", "checks other random streams against the recorded results: not with --update");
  if (!fs::is_directory(f.suite, ec)) throw InputError(f.suite, "expected a suite directory of scenarios (NAME.json) and expected/NAME.json");
  std::vector<Case> cases;
  for (const auto& e : fs::directory_iterator(f.suite)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    Case c;
    c.name = e.path().stem().string();
    c.scenario = e.path().string();
    c.expected = (fs::path(f.suite) / "expected" / (c.name + ".json")).string();
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  if (cases.empty()) throw InputError(f.suite, "holds no scenario (NAME.json)");
  // An expected file whose scenario is gone: the suite lost a check without saying so.
  const fs::path expected_dir = fs::path(f.suite) / "expected";
  if (!f.update && fs::is_directory(expected_dir, ec))
    for (const auto& e : fs::directory_iterator(expected_dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      const std::string name = e.path().stem().string();
      if (std::none_of(cases.begin(), cases.end(), [&](const Case& c) { return c.name == name; }))
        throw InputError(e.path().string(), "its scenario " + name + ".json is gone from the suite: restore it, or remove this file");
    }
  if (!f.out.empty()) check_output_path("--out", f.out);
  // Everything checked before any run: each scenario as `recsim run` would, each expected file.
  std::vector<json> expected(cases.size());
  std::vector<ojson> inputs(cases.size());
  std::vector<double> targets(cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    std::string error;
    if (validate_in_process({"run", cases[i].scenario}, &error) != kExitDone) throw InputError(cases[i].scenario, error);
    const Scenario scenario = load_scenario(cases[i].scenario, {});
    cases[i].seed = scenario.seed;
    inputs[i] = suite_inputs(scenario, f.suite);
    targets[i] = scenario.sla.target_ms;
    if (f.update) continue;
    if (!fs::is_regular_file(cases[i].expected, ec))
      throw InputError(cases[i].expected, "missing: recsim check " + f.suite + " --update records the expected results");
    expected[i] = read_json_file(cases[i].expected);
    check_against(expected[i], json::object(), cases[i].expected);  // its shape; the values are compared below
    const std::string changed = inputs_difference(expected[i].value("inputs", json()), inputs[i]);
    if (!changed.empty())
      throw InputError(cases[i].expected, changed + ": rerun recsim check " + f.suite + " --update (and review what moved)");
  }

  const int jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  char pattern[] = "/tmp/recsim-check.XXXXXX";
  if (!::mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
  const std::string tmp = pattern;
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{tmp};
  std::vector<PoolTask> tasks;
  auto add = [&](Case& c, const std::vector<std::string>& extra) {
    PoolTask t;
    const std::string out = tmp + "/" + std::to_string(tasks.size()) + ".json";
    t.args = {"run", c.scenario, "--out", out, "--quiet"};
    t.args.insert(t.args.end(), extra.begin(), extra.end());
    t.stderr_file = tmp + "/" + std::to_string(tasks.size()) + ".err";
    c.tasks.push_back(tasks.size());
    tasks.push_back(std::move(t));
  };
  for (auto& c : cases) {
    const std::vector<std::string> seed =
        f.reseed ? std::vector<std::string>{"--seed", std::to_string(c.seed + f.reseed)} : std::vector<std::string>{};
    add(c, seed);
    add(c, seed);
    if (f.update)
      for (int k = 1; k <= f.seeds; ++k) add(c, {"--seed", std::to_string(c.seed + static_cast<std::uint64_t>(k))});
  }
  const auto started = std::chrono::steady_clock::now();
  std::vector<int> status(tasks.size(), -1);
  std::size_t finished = 0;
  const bool progress = !f.quiet && ::isatty(STDERR_FILENO);
  run_process_pool(own_executable(), tasks, jobs, [](std::size_t) { return true; }, [&](std::size_t t, int s) {
    status[t] = s;
    ++finished;
    if (progress) std::fprintf(stderr, "\rrecsim check: %zu/%zu runs\033[K", finished, tasks.size());
  });
  if (progress) std::fprintf(stderr, "\r\033[K");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  auto result_of = [&](std::size_t t) -> std::optional<json> {
    if (status[t] != 0) return std::nullopt;
    return read_results(tmp + "/" + std::to_string(t) + ".json");
  };
  auto error_of = [&](std::size_t t) {
    std::ifstream in(tmp + "/" + std::to_string(t) + ".err");
    std::string line, last;
    while (std::getline(in, line))
      if (!line.empty()) last = line;
    return "exit " + std::to_string(status[t]) + (last.empty() ? "" : ": " + last);
  };

  int failures = 0;
  std::string report;
  ojson summary = ojson::array();
  char line[512];
  std::snprintf(line, sizeof line, "recsim check %s: %zu scenarios, %zu runs in %.1f s (%d at once)%s\n", f.suite.c_str(), cases.size(),
                tasks.size(), wall, jobs, f.update ? ", recording" : "");
  report += line;
  if (!f.update) {
    std::snprintf(line, sizeof line, "  %-30s %9s %12s %12s  %s\n", "scenario", "metrics", "worst (tol.)", "fingerprint", "verdict");
    report += line;
  }
  // The suite's chosen false-fail rate shared by every number it checks (Bonferroni).
  double per_metric_false_fail = f.false_fail;
  if (f.update) {
    int numbers = 0;
    for (const auto& c : cases)
      if (const auto r = result_of(c.tasks[0]))
        for (const auto& path : suite_metric_paths()) numbers += metric_at(*r, path).is_number() ? 1 : 0;
    per_metric_false_fail = f.false_fail / std::max(1, numbers);
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    const auto a = result_of(c.tasks[0]), b = result_of(c.tasks[1]);
    ojson row = {{"scenario", c.name}};
    if (!a || !b) {
      ++failures;
      const std::string why = error_of(!a ? c.tasks[0] : c.tasks[1]);
      std::snprintf(line, sizeof line, "  %-30s the run failed (%s)\n", c.name.c_str(), why.c_str());
      report += line;
      row["verdict"] = "error";
      row["error"] = why;
      summary.push_back(row);
      continue;
    }
    const bool identical = fingerprint(*a) == fingerprint(*b);
    if (f.update) {
      std::vector<json> others = {*a};
      for (std::size_t k = 2; k < c.tasks.size(); ++k) {
        auto r = result_of(c.tasks[k]);
        if (!r) throw std::runtime_error(c.name + ": the run at another seed failed (" + error_of(c.tasks[k]) + ")");
        others.push_back(std::move(*r));
      }
      if (!identical) {
        ++failures;
        std::snprintf(line, sizeof line, "  %-30s NOT RECORDED: two runs at the same seed differ\n", c.name.c_str());
        report += line;
        continue;
      }
      const ojson recorded_with = {{"recsim_version", kRecsimVersion}, {"git_commit", kRecsimCommit}, {"git_dirty", kRecsimDirty},
                                   {"other_seeds", f.seeds}};
      const ojson doc =
          record_expected(fs::path(c.scenario).filename().string(), others, per_metric_false_fail, inputs[i], recorded_with, targets[i]);
      // What moved: every metric whose expected value changed, in tolerances of the old file.
      std::string moved;
      if (fs::is_regular_file(c.expected, ec)) {
        try {
          const json old = read_json_file(c.expected);
          for (const auto& [path, spec] : doc["metrics"].items()) {
            const json before = old.contains("metrics") && old["metrics"].contains(path) ? old["metrics"][path]["expected"] : json(nullptr);
            if (json(spec["expected"]) == before) continue;
            moved += "    " + path + ": " + number_text(before) + " -> " + number_text(json(spec["expected"]));
            const json& was = old["metrics"][path];
            if (before.is_number() && was.contains("tolerance") && was["tolerance"].is_number() && was["tolerance"].get<double>() > 0 &&
                (was.value("scale", "linear") != "log" || before.get<double>() > 0)) {
              std::snprintf(line, sizeof line, " (%+.2f old tolerances)", deviation_in_tolerances(was, spec["expected"].get<double>()));
              moved += line;
            }
            moved += "\n";
          }
        } catch (const InputError&) {
          moved = "    (the old file was unreadable)\n";
        }
      } else {
        moved = "    (new)\n";
      }
      fs::create_directories(fs::path(c.expected).parent_path());
      write_file_atomically(c.expected, doc.dump(1) + "\n");
      std::snprintf(line, sizeof line, "  %-30s recorded (%zu metrics)%s\n", c.name.c_str(), doc["metrics"].size(), moved.empty() ? ", nothing moved" : "");
      report += line + moved;
      continue;
    }
    const auto checks = check_against(expected[i], *a, c.expected);
    int failed = 0, checked = 0;
    double worst = 0;
    std::string details;
    ojson metrics = ojson::array();
    for (const auto& m : checks) {
      if (m.checked) ++checked;
      if (m.in_tolerances && std::isfinite(*m.in_tolerances)) worst = std::max(worst, std::fabs(*m.in_tolerances));
      metrics.push_back({{"metric", m.metric}, {"expected", m.expected}, {"actual", m.actual},
                         {"deviation", m.deviation ? json(*m.deviation) : json(nullptr)},
                         {"tolerance", m.tolerance ? json(*m.tolerance) : json(nullptr)},
                         {"allowed", m.band ? json{m.band->first, m.band->second} : json(nullptr)},
                         {"z", m.z && std::isfinite(*m.z) ? json(*m.z) : json(nullptr)}, {"checked", m.checked}, {"pass", m.pass}});
      if (m.pass) continue;
      ++failed;
      if (m.band)
        std::snprintf(line, sizeof line, "    %s: expected %s (allowed %s to %s), got %s%s\n", m.metric.c_str(), number_text(m.expected).c_str(),
                      number_text(json(m.band->first)).c_str(), number_text(json(m.band->second)).c_str(), number_text(m.actual).c_str(),
                      m.note.empty() ? "" : (" (" + m.note + ")").c_str());
      else
        std::snprintf(line, sizeof line, "    %s: expected %s, got %s\n", m.metric.c_str(), m.expected.dump().c_str(), m.actual.dump().c_str());
      details += line;
    }
    const bool pass = failed == 0 && identical;
    if (!pass) ++failures;
    if (!identical) details += "    fingerprint: two runs at the same seed gave different results\n";
    std::snprintf(line, sizeof line, "  %-30s %4d/%-4d %12.2f %12s  %s\n", c.name.c_str(), checked - failed, checked, worst,
                  identical ? "identical" : "DIFFERENT", pass ? "pass" : "FAIL");
    report += line + details;
    row["verdict"] = pass ? "pass" : "fail";
    row["fingerprint_identical"] = identical;
    row["worst_in_tolerances"] = worst;
    row["metrics"] = metrics;
    summary.push_back(row);
  }
  std::snprintf(line, sizeof line, "%s: %zu of %zu scenarios %s\n", failures ? "FAILED" : "passed", cases.size() - static_cast<std::size_t>(failures),
                cases.size(), f.update ? "recorded" : "pass");
  report += line;
  if (!f.quiet || failures) std::fputs(report.c_str(), failures ? stderr : stdout);
  if (!f.out.empty()) write_file_atomically(f.out, ojson{{"suite", f.suite}, {"update", f.update}, {"scenarios", summary}}.dump(1) + "\n");
  return failures ? kExitFailure : kExitDone;
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
