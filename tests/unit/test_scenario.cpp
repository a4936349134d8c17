// Scenario validation: every invalid input names its JSON path and what was expected.
#include "support/build_paths.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/service/service_time_model.h"
#include "support/cli_runner.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"

#include <cmath>
#include <catch2/catch.hpp>

#include <filesystem>

using namespace recsim;
using recsim::test::TempDir;
using recsim::test::scenario_error;

namespace {

nlohmann::json base() { return nlohmann::json::parse(recsim::test::base_scenario_text()); }

std::string override_error(nlohmann::json doc, const std::string& assignment) {
  try {
    apply_override(doc, assignment);
  } catch (const InputError& e) {
    return e.what();
  }
  return "valid";
}

}  // namespace

TEST_CASE("the contract's example scenario parses to the right values", "[scenario]") {
  const Scenario s = parse_scenario(base(), ".");
  CHECK(s.name == "cli-test");
  CHECK(s.seed == 7);
  REQUIRE(s.fleet.groups.size() == 1);
  CHECK(s.fleet.groups[0].cpu_cores == 8);
  CHECK(s.fleet.groups[0].name == "server");
  CHECK(s.arrival.qps == 5600);
  CHECK(s.fleet.models.front().first_service().type == "exponential");
  CHECK(make_service_model(s.fleet.models.front().first_service())->mean_seconds(1) == Approx(1e-3));
  CHECK(s.fleet.models.front().scheduler.front().batch_size == 1);
  CHECK(s.fleet.balancer == "least_loaded");
  CHECK(s.fleet.models.front().sla.percentile == 95);
  CHECK(s.run.queries == 20000);
  CHECK(s.run.warmup_queries == 1000);
  CHECK_FALSE(s.run.max_in_flight);
  CHECK(s.in_flight_bound() == 100000);  // 8 cores: the floor
  CHECK(s.total_cores() == 8);
}

TEST_CASE("the in-flight bound grows with the fleet unless run.max_in_flight sets it", "[scenario][saturation]") {
  auto doc = base();
  doc["platform"]["servers"][0]["count"] = 2000;  // 2,000 x 8 cores: 64 x 16,000 queries
  CHECK(parse_scenario(doc, ".").in_flight_bound() == 1024000);
  doc["run"]["max_in_flight"] = 5000;
  CHECK(parse_scenario(doc, ".").in_flight_bound() == 5000);
}

TEST_CASE("invalid scenarios name the JSON path and what was expected", "[scenario][errors]") {
  auto with = [](const std::string& assignment) {
    auto doc = base();
    apply_override(doc, assignment);
    return doc;
  };
  CHECK(scenario_error(with("workload.arrival.qps=-5")) == "workload.arrival.qps: expected a number > 0, got -5");
  CHECK(scenario_error(with("workload.arrival.qps=\"fast\"")) == "workload.arrival.qps: expected a number > 0, got \"fast\"");
  CHECK(scenario_error(with("platform.servers.0.cpu_cores=0")) ==
        "platform.servers.0.cpu_cores: expected an integer in [1, 4096], got 0");
  CHECK(scenario_error(with("platform.servers.0.cpu_cores=2.5")) ==
        "platform.servers.0.cpu_cores: expected an integer in [1, 4096], got 2.5");
  CHECK(scenario_error(with("platform.servers.0.typo=1")) == "platform.servers.0.typo: unknown key");
  CHECK(scenario_error(with("extra=true")) == "extra: unknown key");
  // A misspelt key names the key it is closest to (within two edits, and not for a short key).
  CHECK(scenario_error(with("run.warmup_querie=5")) == "run.warmup_querie: unknown key (did you mean \"warmup_queries\"?)");
  CHECK(scenario_error(with("sla.targt_ms=5")) == "sla.targt_ms: unknown key (did you mean \"target_ms\"?)");
  CHECK(scenario_error(with("run.x=5")) == "run.x: unknown key");
  CHECK(scenario_error(with("service.type=\"gaussian\"")) ==
        "service.type: expected one of \"exponential\", \"deterministic\", \"table\", \"model\", got \"gaussian\"");
  CHECK(scenario_error(with("sla.percentile=100")) == "sla.percentile: expected a number in (0, 100), got 100");
  CHECK(scenario_error(with("run.warmup_queries=20000")) ==
        "run.warmup_queries: expected fewer warm-up queries than run.queries (20000)");
  CHECK(scenario_error(with("platform.servers=[]")) == "platform.servers: expected at least one server group");
  CHECK(scenario_error(with("platform=3")) == "platform: expected an object, got a number");
  CHECK(scenario_error(with("scheduler.batch_size=0")) == "scheduler.batch_size: expected an integer in [1, 1000000000], got 0");
  CHECK(scenario_error(with("name=\"\"")) == "name: expected a non-empty string");

  auto missing = base();
  missing["workload"]["arrival"].erase("qps");
  CHECK(scenario_error(missing) == "workload.arrival.qps: required key is missing");
  missing["workload"]["arrival"]["qsp"] = 5;  // a typo gets a hint
  CHECK(scenario_error(missing) == "workload.arrival.qps: required key is missing (is \"qsp\" a misspelling of it?)");

  auto table = base();
  table["service"] = {{"type", "table"}, {"points", {{{"batch", 8}, {"ms", 1}}, {{"batch", 4}, {"ms", 2}}}}};
  CHECK(scenario_error(table) == "service.points.1.batch: batch sizes must increase strictly from point to point");

  // Lognormal sizes by their median and the share of items in the largest quarter, or by mu and sigma.
  const std::string shaped = "workload.query_size={\"distribution\":\"lognormal\",\"median\":164,\"top_quarter_share\":";
  CHECK(scenario_error(with(shaped + "0.5,\"max\":1024}")) == "valid");
  // sigma = Phi^-1(0.75) + Phi^-1(0.5) = 0.6744897502, mu = ln 164: the distribution those make.
  CHECK(make_query_sizes(recsim::test::scenario_from(with(shaped + "0.5,\"max\":1024}")).fleet.models.front().query_size)->mean() ==
        Approx(make_lognormal_sizes(std::log(164.0), 0.6744897502, 1024)->mean()).epsilon(1e-9));
  CHECK(scenario_error(with(shaped + "0.25,\"max\":1024}")) ==
        "workload.query_size.top_quarter_share: expected a number in (0.25, 1), got 0.25");
  CHECK(scenario_error(with(shaped + "0.5,\"max\":1024,\"sigma\":0.2}")) ==
        "workload.query_size.sigma: give either \"mu\" and \"sigma\", or \"median\" and \"top_quarter_share\", not both");
  CHECK(scenario_error(with("workload.query_size={\"distribution\":\"lognormal\",\"median\":164,\"max\":1024}")) ==
        "workload.query_size.top_quarter_share: required key is missing");
}

TEST_CASE("referenced files must exist and be valid", "[scenario][errors][files]") {
  TempDir dir;
  auto doc = base();
  doc["workload"]["query_size"] = {{"distribution", "empirical"}, {"file", "sizes.csv"}};
  CHECK(scenario_error(doc, dir.path()) == "workload.query_size.file: file \"" + dir.file("sizes.csv") +
                                         "\" does not exist or is not a regular file");
  dir.write("sizes.csv", "1,1\nbad\n");
  CHECK(scenario_error(doc, dir.path()) == dir.file("sizes.csv") + ":2: expected a line \"size,weight\" (an integer size and a number)");
  dir.write("sizes.csv", "1,1\n2,3\n");
  CHECK(scenario_error(doc, dir.path()) == "valid");

  auto trace = base();
  trace["workload"] = {{"arrival", {{"process", "trace"}, {"file", "t.csv"}}}};
  dir.write("t.csv", "0,1\n1,2\n");
  CHECK(scenario_error(trace, dir.path()) == "run.queries: the trace has only 2 queries, fewer than 20000");
  trace["run"] = {{"warmup_queries", 1}};
  const Scenario s = parse_scenario(trace, dir.path());
  CHECK(s.run.queries == 2);  // defaults to the trace's length
  trace["workload"]["query_size"] = {{"distribution", "fixed"}, {"value", 1}};
  CHECK(scenario_error(trace, dir.path()) ==
        "workload.query_size: must be absent with \"process\": \"trace\" (sizes come from the trace file)");
}

TEST_CASE("overrides (--set): dotted paths, array indices, JSON or string values", "[scenario][overrides]") {
  auto doc = base();
  apply_override(doc, "workload.arrival.qps=6000");
  CHECK(doc["workload"]["arrival"]["qps"] == 6000);
  apply_override(doc, "platform.servers.0.cpu_cores=16");
  CHECK(doc["platform"]["servers"][0]["cpu_cores"] == 16);
  apply_override(doc, "name=renamed");  // not JSON: taken as a string
  CHECK(doc["name"] == "renamed");
  apply_override(doc, "workload.query_size={\"distribution\":\"lognormal\",\"mu\":5.1,\"sigma\":0.2,\"max\":1024}");
  CHECK(doc["workload"]["query_size"]["mu"] == 5.1);
  apply_override(doc, "new.branch.leaf=1");  // objects are created; validation rejects the key later
  CHECK(doc["new"]["branch"]["leaf"] == 1);
  CHECK(override_error(base(), "platform.servers.3.cpu_cores=1") ==
        "--set platform.servers.3.cpu_cores=1: \"platform.servers\" has 1 elements; index 3 is out of range");
  CHECK(override_error(base(), "platform.servers.x=1") ==
        "--set platform.servers.x=1: \"platform.servers\" is an array; expected an index, got \"x\"");
  CHECK(override_error(base(), "name.first=1") == "--set name.first=1: \"name\" is a string; cannot set \"name.first\" inside it");
  CHECK(override_error(base(), "noequals") == "--set noequals: expected PATH=VALUE");
  CHECK(override_error(base(), "a..b=1") == "--set a..b=1: PATH \"a..b\" has an empty component");
}

TEST_CASE("malformed JSON is reported with its line and column", "[scenario][errors]") {
  TempDir dir;
  const auto path = dir.write("bad.json", "{\n  \"name\": \"x\",\n  \"seed\": ,\n}");
  try {
    read_json_file(path);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(path + ": malformed JSON at line 3, column 11", 0) == 0);
  }
}

TEST_CASE("every shipped scenario is valid", "[scenario][shipped]") {
  int count = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(recsim::test::source_dir() + "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    if (entry.path().parent_path().filename() == "sweeps") continue;  // sweep files: checked with the models' test
    if (entry.path().parent_path().filename() == "expected") continue;  // the suite's expected results
    if (entry.path().parent_path().filename() == "plans") continue;     // plan files: tests/unit/test_plan.cpp
    CAPTURE(entry.path().string());
    CHECK_NOTHROW(load_scenario(entry.path().string(), {}));
    ++count;
  }
  CHECK(count >= 16);  // quickstart, mmc-example, 8 models, 4 GPU, the cache, the benchmark
}
