#include "sim/sweep/suite_runner.h"

#include "sim/engine/atomic_file.h"
#include "sim/provenance/build_version.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/sweep/process_pool.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace recsim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

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

// The runs of a suite: their outputs in a temporary directory removed at the end.
class SuiteRuns {
 public:
  SuiteRuns() {
    char pattern[] = "/tmp/recsim-check.XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("cannot create a temporary directory");
    dir_ = pattern;
  }
  ~SuiteRuns() {
    std::error_code e;
    fs::remove_all(dir_, e);
  }
  SuiteRuns(const SuiteRuns&) = delete;
  SuiteRuns& operator=(const SuiteRuns&) = delete;

  std::size_t add(const std::string& scenario, const std::vector<std::string>& extra) {
    PoolTask t;
    t.args = {"run", scenario, "--out", file(tasks_.size(), ".json"), "--quiet"};
    t.args.insert(t.args.end(), extra.begin(), extra.end());
    t.stderr_file = file(tasks_.size(), ".err");
    tasks_.push_back(std::move(t));
    return tasks_.size() - 1;
  }
  std::size_t size() const { return tasks_.size(); }

  void run(int jobs, const std::function<void(std::size_t, std::size_t)>& progress, const CommandRunner& in_process) {
    status_.assign(tasks_.size(), -1);
    std::size_t finished = 0;
    run_process_pool(own_executable(), tasks_, jobs, [](std::size_t) { return true; }, [&](std::size_t t, int s) {
      status_[t] = s;
      ++finished;
      if (progress) progress(finished, tasks_.size());
    }, in_process);
  }
  std::optional<json> result(std::size_t t) const {
    if (status_[t] != 0) return std::nullopt;
    return read_results(file(t, ".json"));
  }
  std::string error(std::size_t t) const {
    const std::string last = last_line_of(file(t, ".err"));
    return "exit " + std::to_string(status_[t]) + (last.empty() ? "" : ": " + last);
  }

 private:
  std::string file(std::size_t t, const char* extension) const { return dir_ + "/" + std::to_string(t) + extension; }
  std::string dir_;
  std::vector<PoolTask> tasks_;
  std::vector<int> status_;
};

// Every metric whose expected value changed, in tolerances of the old file.
std::string what_moved(const SuiteCase& c, const ojson& doc) {
  std::error_code ec;
  if (!fs::is_regular_file(c.expected, ec)) return "    (new)\n";
  std::string moved;
  try {
    const json old = read_json_file(c.expected);
    for (const auto& [path, spec] : doc["metrics"].items()) {
      const json before = old.contains("metrics") && old["metrics"].contains(path) ? old["metrics"][path]["expected"] : json(nullptr);
      if (json(spec["expected"]) == before) continue;
      moved += "    " + path + ": " + metric_number_text(before) + " -> " + metric_number_text(json(spec["expected"]));
      const json& was = old["metrics"][path];
      if (before.is_number() && was.contains("tolerance") && was["tolerance"].is_number() && was["tolerance"].get<double>() > 0 &&
          (was.value("scale", "linear") != "log" || before.get<double>() > 0)) {
        char line[64];
        std::snprintf(line, sizeof line, " (%+.2f old tolerances)", deviation_in_tolerances(was, spec["expected"].get<double>()));
        moved += line;
      }
      moved += "\n";
    }
  } catch (const InputError&) {
    moved = "    (the old file was unreadable)\n";
  }
  return moved;
}

// Recording: the expected results from the seed's run and the other seeds'.
void record(const SuiteCase& c, const SuiteRuns& runs, const std::vector<std::size_t>& tasks, const SuiteOptions& o,
            double per_metric_false_fail, SuiteCaseResult& r) {
  std::vector<json> results = {*runs.result(tasks[0])};
  for (std::size_t k = 2; k < tasks.size(); ++k) {
    auto x = runs.result(tasks[k]);
    if (!x) throw std::runtime_error(c.name + ": the run at another seed failed (" + runs.error(tasks[k]) + ")");
    results.push_back(std::move(*x));
  }
  if (!r.identical) {
    r.verdict = "not recorded";
    return;
  }
  const ojson recorded_with = {{"recsim_version", kRecsimVersion}, {"git_commit", kRecsimCommit}, {"git_dirty", kRecsimDirty},
                               {"other_seeds", o.seeds}};
  const ojson doc =
      record_expected(fs::path(c.scenario).filename().string(), results, per_metric_false_fail, c.inputs, recorded_with, c.sla_target_ms);
  r.moved = what_moved(c, doc);
  fs::create_directories(fs::path(c.expected).parent_path());
  write_file_atomically(c.expected, doc.dump(1) + "\n");
  r.verdict = "recorded";
  r.recorded_metrics = doc["metrics"].size();
}

// Checking: each metric of the seed's run against the expected file.
void check(const SuiteCase& c, const json& actual, SuiteCaseResult& r) {
  r.metrics = check_against(c.expected_results, actual, c.expected);
  bool all_pass = true;
  for (const auto& m : r.metrics) {
    if (m.in_tolerances && std::isfinite(*m.in_tolerances)) r.worst_in_tolerances = std::max(r.worst_in_tolerances, std::fabs(*m.in_tolerances));
    all_pass = all_pass && m.pass;
  }
  r.verdict = all_pass && r.identical ? "pass" : "fail";
}

}  // namespace

std::string metric_number_text(const json& v) {
  if (v.is_null()) return "null";
  if (!v.is_number()) return v.dump();
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v.get<double>());
  return text;
}

std::vector<SuiteCase> prepare_suite(const std::string& suite, const SuiteOptions& o) {
  std::error_code ec;
  if (o.update && o.reseed) throw InputError("--reseed", "checks other random streams against the recorded results: not with --update");
  if (!fs::is_directory(suite, ec)) throw InputError(suite, "expected a suite directory of scenarios (NAME.json) and expected/NAME.json");
  std::vector<SuiteCase> cases;
  for (const auto& e : fs::directory_iterator(suite)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    SuiteCase c;
    c.name = e.path().stem().string();
    c.scenario = e.path().string();
    c.expected = (fs::path(suite) / "expected" / (c.name + ".json")).string();
    cases.push_back(std::move(c));
  }
  std::sort(cases.begin(), cases.end(), [](const SuiteCase& a, const SuiteCase& b) { return a.name < b.name; });
  if (cases.empty()) throw InputError(suite, "holds no scenario (NAME.json)");
  // An expected file whose scenario is gone: the suite lost a check without saying so.
  const fs::path expected_dir = fs::path(suite) / "expected";
  if (!o.update && fs::is_directory(expected_dir, ec))
    for (const auto& e : fs::directory_iterator(expected_dir)) {
      if (!e.is_regular_file() || e.path().extension() != ".json") continue;
      const std::string name = e.path().stem().string();
      if (std::none_of(cases.begin(), cases.end(), [&](const SuiteCase& c) { return c.name == name; }))
        throw InputError(e.path().string(), "its scenario " + name + ".json is gone from the suite: restore it, or remove this file");
    }
  for (auto& c : cases) {
    std::string error;
    if (o.validate && o.validate({"run", c.scenario}, &error) != 0) throw InputError(c.scenario, error);
    const Scenario scenario = load_scenario(c.scenario, {});
    c.seed = scenario.seed;
    c.inputs = suite_inputs(scenario, suite);
    c.sla_target_ms = scenario.fleet.models.front().sla.target_ms;  // format 2: the first model's
    if (o.update) continue;
    if (!fs::is_regular_file(c.expected, ec))
      throw InputError(c.expected, "missing: recsim check " + suite + " --update records the expected results");
    c.expected_results = read_json_file(c.expected);
    check_against(c.expected_results, json::object(), c.expected);  // its shape; the values are compared after the runs
    const std::string changed = inputs_difference(c.expected_results.value("inputs", json()), c.inputs);
    if (!changed.empty()) throw InputError(c.expected, changed + ": rerun recsim check " + suite + " --update (and review what moved)");
  }
  return cases;
}

SuiteReport run_suite(const std::string& suite, std::vector<SuiteCase> cases, const SuiteOptions& o) {
  SuiteReport report;
  report.suite = suite;
  report.update = o.update;
  report.jobs = o.jobs;
  SuiteRuns runs;
  std::vector<std::vector<std::size_t>> tasks(cases.size());  // [0], [1]: the two runs at the seed; then the other seeds
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const SuiteCase& c = cases[i];
    const std::vector<std::string> seed =
        o.reseed ? std::vector<std::string>{"--seed", std::to_string(c.seed + o.reseed)} : std::vector<std::string>{};
    tasks[i] = {runs.add(c.scenario, seed), runs.add(c.scenario, seed)};
    if (o.update)
      for (int k = 1; k <= o.seeds; ++k) tasks[i].push_back(runs.add(c.scenario, {"--seed", std::to_string(c.seed + static_cast<std::uint64_t>(k))}));
  }
  const auto started = std::chrono::steady_clock::now();
  runs.run(o.jobs, o.progress, o.in_process);
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.runs = runs.size();
  // The suite's chosen false-fail rate shared by every number it records (Bonferroni).
  double per_metric_false_fail = o.false_fail;
  if (o.update) {
    int numbers = 0;
    for (std::size_t i = 0; i < cases.size(); ++i)
      if (const auto r = runs.result(tasks[i][0]))
        for (const auto& path : suite_metric_paths()) numbers += metric_at(*r, path).is_number() ? 1 : 0;
    per_metric_false_fail = o.false_fail / std::max(1, numbers);
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SuiteCaseResult r;
    r.name = cases[i].name;
    const auto a = runs.result(tasks[i][0]), b = runs.result(tasks[i][1]);
    if (!a || !b) {
      r.verdict = "error";
      r.error = runs.error(!a ? tasks[i][0] : tasks[i][1]);
    } else {
      r.identical = fingerprint(*a) == fingerprint(*b);
      if (o.update) record(cases[i], runs, tasks[i], o, per_metric_false_fail, r);
      else check(cases[i], *a, r);
    }
    if (r.verdict != "pass" && r.verdict != "recorded") ++report.failures;
    report.cases.push_back(std::move(r));
  }
  return report;
}

ojson suite_report_json(const SuiteReport& report) {
  ojson scenarios = ojson::array();
  for (const auto& c : report.cases) {
    if (c.verdict == "recorded" || c.verdict == "not recorded") continue;  // recording reports no rows
    ojson row = {{"scenario", c.name}, {"verdict", c.verdict}};
    if (c.verdict == "error") {
      row["error"] = c.error;
      scenarios.push_back(row);
      continue;
    }
    ojson metrics = ojson::array();
    for (const auto& m : c.metrics)
      metrics.push_back({{"metric", m.metric}, {"expected", m.expected}, {"actual", m.actual},
                         {"deviation", m.deviation ? json(*m.deviation) : json(nullptr)},
                         {"tolerance", m.tolerance ? json(*m.tolerance) : json(nullptr)},
                         {"allowed", m.band ? json{m.band->first, m.band->second} : json(nullptr)},
                         {"z", m.z && std::isfinite(*m.z) ? json(*m.z) : json(nullptr)}, {"checked", m.checked}, {"pass", m.pass}});
    row["fingerprint_identical"] = c.identical;
    row["worst_in_tolerances"] = c.worst_in_tolerances;
    row["metrics"] = metrics;
    scenarios.push_back(row);
  }
  return {{"suite", report.suite}, {"update", report.update}, {"scenarios", scenarios}};
}

}  // namespace recsim
