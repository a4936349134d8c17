// recsim check: a suite passes against what --update recorded, fails (exit 1, the metric named)
// when a result moves beyond its tolerance, refuses a suite without expected results (exit 2), and
// --update says what moved.
#include "support/cli_runner.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include "sim/sweep/regression_suite.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

TEST_CASE("tolerances are 4 standard deviations over the other seeds, and a boolean that varies is not checked", "[check]") {
  const json at_seed = {{"throughput_qps", 10.0}, {"saturated", false}, {"sla", {{"met", true}}}};
  const std::vector<json> others = {{{"throughput_qps", 9.0}, {"saturated", false}, {"sla", {{"met", false}}}},
                                    {{"throughput_qps", 11.0}, {"saturated", false}, {"sla", {{"met", true}}}},
                                    {{"throughput_qps", 10.0}, {"saturated", false}, {"sla", {{"met", true}}}}};
  const auto doc = record_expected("s.json", at_seed, others, json::object());
  CHECK(doc["metrics"]["throughput_qps"]["seed_sd"] == Approx(1.0));  // sample sd of 9, 11, 10
  CHECK(doc["metrics"]["throughput_qps"]["tolerance"] == Approx(4.0));
  CHECK(doc["metrics"]["saturated"] == json{{"expected", false}});
  CHECK(doc["metrics"]["sla.met"]["varies_with_seed"] == true);
  const json expected = json::parse(doc.dump());
  auto checks = check_against(expected, {{"throughput_qps", 13.9}, {"saturated", false}, {"sla", {{"met", false}}}}, "e.json");
  REQUIRE(checks.size() == 3);
  for (const auto& c : checks) {
    CAPTURE(c.metric);
    CHECK(c.pass);
  }
  checks = check_against(expected, {{"throughput_qps", 14.1}, {"saturated", true}, {"sla", {{"met", true}}}}, "e.json");
  auto named = [&](const std::string& metric) {
    for (const auto& c : checks)
      if (c.metric == metric) return c;
    FAIL("no check of " << metric);
    return MetricCheck{};
  };
  CHECK_FALSE(named("saturated").pass);  // false expected
  CHECK_FALSE(named("throughput_qps").pass);  // 4.1 > 4
  CHECK(*named("throughput_qps").deviation == Approx(4.1));
  CHECK_FALSE(named("sla.met").checked);
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

  const auto update = run_recsim({"check", suite, "--update", "--seeds", "4"});
  REQUIRE(update.status == 0);
  CHECK(update.out.find("\n  a                              recorded (") != std::string::npos);
  const json a = read(suite + "/expected/a.json");
  CHECK(a["metrics"]["throughput_qps"]["seeds"] == 4);
  CHECK(a["metrics"]["throughput_qps"]["tolerance"].get<double>() > 0);

  const auto pass = run_recsim({"check", suite, "--out", dir.file("report.json")});
  CHECK(pass.status == 0);
  CHECK(pass.out.find("passed: 2 of 2 scenarios pass") != std::string::npos);
  const json report = read(dir.file("report.json"));
  CHECK(report["scenarios"][0]["fingerprint_identical"] == true);

  // Move b's result: 20% more load is far beyond the seed-to-seed spread of its throughput.
  auto b = mmc_document(4, 3600, 1.0, 3000, 300);
  dir.write_json("suite/b.json", b);
  const auto fail = run_recsim({"check", suite});
  CHECK(fail.status == 1);
  CHECK(fail.err.find("  b  ") != std::string::npos);
  CHECK(fail.err.find("    throughput_qps: expected ") != std::string::npos);
  CHECK(fail.err.find("FAILED: 1 of 2 scenarios pass") != std::string::npos);

  // --update records the new results and says what moved.
  const auto moved = run_recsim({"check", suite, "--update", "--seeds", "3"});
  REQUIRE(moved.status == 0);
  CHECK(moved.out.find("    throughput_qps: ") != std::string::npos);
  CHECK(moved.out.find("old tolerances)") != std::string::npos);
  CHECK(run_recsim({"check", suite, "--quiet"}).status == 0);
}
