// recsim check: a suite passes against what --update recorded, fails (exit 1, the metric named)
// when a result moves beyond its tolerance, refuses a suite without expected results (exit 2), and
// --update says what moved.
#include "support/cli_runner.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include "sim/sweep/regression_suite.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace recsim;
using namespace recsim::test;
using json = nlohmann::json;

namespace {
json read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}
}  // namespace

TEST_CASE("tolerances are Student's t prediction intervals over the seeds, and a boolean that can vary is not checked", "[check]") {
  // t with 3 degrees of freedom at two-sided 1%: 5.8409; times sqrt(1 + 1/4).
  CHECK(prediction_factor(4, 0.01) == Approx(5.840909 * std::sqrt(1.25)).epsilon(1e-5));
  // Many seeds: close to the normal quantile (two-sided 1e-6: 4.8916).
  CHECK(prediction_factor(1001, 1e-6) == Approx(4.8916 * std::sqrt(1 + 1.0 / 1001)).epsilon(0.01));
  const std::vector<json> runs = {{{"throughput_qps", 10.0}, {"saturated", false}, {"sla", {{"met", true}, {"observed_ms", 5.0}}}},
                                  {{"throughput_qps", 9.0}, {"saturated", false}, {"sla", {{"met", false}, {"observed_ms", 5.0}}}},
                                  {{"throughput_qps", 11.0}, {"saturated", false}, {"sla", {{"met", true}, {"observed_ms", 5.0}}}},
                                  {{"throughput_qps", 10.0}, {"saturated", false}, {"sla", {{"met", true}, {"observed_ms", 5.0}}}}};
  const json inputs = {{"scenario_sha256", "ab"}, {"files", json::array()}};
  const auto doc = record_expected("s.json", runs, 0.01, inputs, json::object(), 100.0);
  // Positive in every run: compared in log space (geometric mean, sd of the logs).
  const double mean_log = (std::log(10.0) * 2 + std::log(9.0) + std::log(11.0)) / 4;
  double ss = 0;
  for (double x : {10.0, 9.0, 11.0, 10.0}) ss += (std::log(x) - mean_log) * (std::log(x) - mean_log);
  const double sd = std::sqrt(ss / 3);
  const auto& tp = doc["metrics"]["throughput_qps"];
  CHECK(tp["scale"] == "log");
  CHECK(tp["expected"].get<double>() == Approx(std::exp(mean_log)));
  CHECK(tp["seed_sd"].get<double>() == Approx(sd));
  CHECK(tp["tolerance"].get<double>() == Approx(prediction_factor(4, 0.01) * sd));
  CHECK(doc["metrics"]["saturated"] == json{{"expected", false}});
  CHECK(doc["metrics"]["sla.met"]["varies_with_seed"] == true);
  CHECK(doc["inputs"] == inputs);
  const double tol = prediction_factor(4, 0.01) * sd;
  const double inside = std::exp(mean_log + 0.99 * tol), outside = std::exp(mean_log + 1.01 * tol);
  const json expected = json::parse(doc.dump());
  auto checks = check_against(expected, {{"throughput_qps", inside}, {"saturated", false}, {"sla", {{"met", false}, {"observed_ms", 5.0}}}}, "e.json");
  REQUIRE(checks.size() == 4);
  for (const auto& c : checks) {
    CAPTURE(c.metric);
    CHECK(c.pass);
  }
  checks = check_against(expected, {{"throughput_qps", outside}, {"saturated", true}, {"sla", {{"met", true}, {"observed_ms", 5.0}}}}, "e.json");
  auto named = [&](const std::string& metric) {
    for (const auto& c : checks)
      if (c.metric == metric) return c;
    FAIL("no check of " << metric);
    return MetricCheck{};
  };
  CHECK_FALSE(named("saturated").pass);  // false expected
  CHECK_FALSE(named("throughput_qps").pass);
  CHECK(*named("throughput_qps").in_tolerances == Approx(1.01));
  CHECK(named("throughput_qps").band->second == Approx(std::exp(mean_log + tol)));
  CHECK_FALSE(named("sla.met").checked);

  // A metric that is 0 in some run: compared linearly (mean, sample sd).
  std::vector<json> zeros = runs;
  const double wait[] = {0.0, 1.0, 2.0, 1.0};
  for (std::size_t i = 0; i < zeros.size(); ++i) zeros[i]["wait_ms"] = {{"mean", wait[i]}};
  const auto lin = record_expected("s.json", zeros, 0.01, inputs, json::object(), 100.0)["metrics"]["wait_ms.mean"];
  CHECK(lin["scale"] == "linear");
  CHECK(lin["expected"].get<double>() == Approx(1.0));
  CHECK(lin["tolerance"].get<double>() == Approx(prediction_factor(4, 0.01) * std::sqrt(2.0 / 3.0)));

  // sla.met that never flipped over the seeds, but with the target inside observed_ms's band: unchecked.
  std::vector<json> near = runs;
  for (std::size_t i = 0; i < near.size(); ++i) near[i]["sla"] = {{"met", true}, {"observed_ms", 99.5 + 0.1 * static_cast<double>(i)}};
  CHECK(record_expected("s.json", near, 0.01, inputs, json::object(), 100.0)["metrics"]["sla.met"]["varies_with_seed"] == true);
  CHECK_FALSE(record_expected("s.json", near, 0.01, inputs, json::object(), 200.0)["metrics"]["sla.met"].contains("varies_with_seed"));

  // A percentile with fewer than 200 measured queries above it is recorded but not checked.
  std::vector<json> tails = runs;
  for (std::size_t i = 0; i < tails.size(); ++i) {
    tails[i]["queries"] = {{"measured", 4500}};
    tails[i]["latency_ms"] = {{"p95", 2.0 + 0.1 * static_cast<double>(i)}, {"p99", 5.0 + static_cast<double>(i)}};
  }
  const auto tail_doc = json::parse(record_expected("s.json", tails, 0.01, inputs, json::object(), 100.0).dump());
  CHECK(tail_doc["metrics"]["latency_ms.p99"]["unchecked"] ==
        "45 measured queries above this percentile (fewer than 200): too few for a stable check");
  CHECK(tail_doc["metrics"]["latency_ms.p95"].contains("tolerance"));  // 225 above it
  for (const auto& c : check_against(tail_doc, tails[0], "e.json"))
    if (c.metric == "latency_ms.p99") {
      CHECK_FALSE(c.checked);
      CHECK(c.pass);
    }

  // An empty metrics block checks nothing: refused.
  CHECK_THROWS_WITH(check_against(json{{"metrics", json::object()}}, json::object(), "e.json"),
                    "e.json: metrics: is empty: nothing would be checked (recsim check --update records them)");
}

TEST_CASE("recsim check: pass, a moved result fails naming the metric, no expected results is exit 2", "[check][cli]") {
  TempDir dir;
  namespace fs = std::filesystem;
  fs::create_directories(dir.file("suite"));
  dir.write_json("suite/a.json", mmc_document(2, 1000, 1.0, 3000, 300));
  dir.write_json("suite/b.json", mmc_document(4, 3000, 1.0, 3000, 300));
  const auto suite = dir.file("suite");

  const auto missing = run_recsim({"check", suite});
  CHECK(missing.status == 2);
  CHECK(missing.err == "recsim: error: " + suite + "/expected/a.json: missing: recsim check " + suite + " --update records the expected results\n");

  const auto update = run_recsim({"check", suite, "--update", "--seeds", "30"});
  REQUIRE(update.status == 0);
  CHECK(update.out.find("\n  a                              recorded (") != std::string::npos);
  const json a = read(suite + "/expected/a.json");
  CHECK(a["metrics"]["throughput_qps"]["seeds"] == 31);  // the scenario's seed and 30 others
  CHECK(a["metrics"]["throughput_qps"]["tolerance"].get<double>() > 0);

  const auto pass = run_recsim({"check", suite, "--out", dir.file("report.json")});
  CHECK(pass.status == 0);
  CHECK(pass.out.find("passed: 2 of 2 scenarios pass") != std::string::npos);
  const json report = read(dir.file("report.json"));
  CHECK(report["scenarios"][0]["fingerprint_identical"] == true);

  // Another random stream (a seed the recording did not use) passes: the tolerances are for that.
  CHECK(run_recsim({"check", suite, "--reseed", "1000", "--quiet"}).status == 0);
  CHECK(run_recsim({"check", suite, "--update", "--reseed", "5"}).status == 2);

  // A result that moved: b's expected throughput 20% off, far beyond the seed-to-seed spread.
  json expected_b = read(suite + "/expected/b.json");
  expected_b["metrics"]["throughput_qps"]["expected"] = expected_b["metrics"]["throughput_qps"]["expected"].get<double>() * 1.2;
  dir.write_json("suite/expected/b.json", expected_b);
  const auto fail = run_recsim({"check", suite});
  CHECK(fail.status == 1);
  CHECK(fail.err.find("  b  ") != std::string::npos);
  CHECK(fail.err.find("    throughput_qps: expected ") != std::string::npos);
  CHECK(fail.err.find("FAILED: 1 of 2 scenarios pass") != std::string::npos);

  // --update records the new results and says what moved.
  const auto moved = run_recsim({"check", suite, "--update", "--seeds", "30"});
  REQUIRE(moved.status == 0);
  CHECK(moved.out.find("    throughput_qps: ") != std::string::npos);
  CHECK(moved.out.find("old tolerances)") != std::string::npos);
  CHECK(run_recsim({"check", suite, "--quiet"}).status == 0);

  // An edited scenario (20% more load) is caught before any run, whatever its results would be.
  dir.write_json("suite/b.json", mmc_document(4, 3600, 1.0, 3000, 300));
  const auto edited = run_recsim({"check", suite});
  CHECK(edited.status == 2);
  CHECK(edited.err == "recsim: error: " + suite + "/expected/b.json: the scenario changed since it was recorded: rerun recsim check " +
                          suite + " --update (and review what moved)\n");
  dir.write_json("suite/b.json", mmc_document(4, 3000, 1.0, 3000, 300));
  CHECK(run_recsim({"check", suite, "--quiet"}).status == 0);

  // An empty metrics block, and an expected file whose scenario is gone: exit 2, one line.
  json emptied = read(suite + "/expected/a.json");
  emptied["metrics"] = json::object();
  dir.write_json("suite/expected/a.json", emptied);
  const auto empty = run_recsim({"check", suite});
  CHECK(empty.status == 2);
  CHECK(empty.err.find("expected/a.json: metrics: is empty") != std::string::npos);
  CHECK(run_recsim({"check", suite, "--update", "--seeds", "3", "--quiet"}).status == 0);
  fs::remove(suite + "/b.json");
  const auto orphan = run_recsim({"check", suite});
  CHECK(orphan.status == 2);
  CHECK(orphan.err == "recsim: error: " + suite + "/expected/b.json: its scenario b.json is gone from the suite: restore it, or remove this file\n");
}
