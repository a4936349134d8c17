// `recsim run` as the contract pins it: flags, exit statuses, one-line errors, no partial output,
// the results JSON's keys and byte-identical reruns.
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include "sim/provenance/build_version.h"
#include "sim/provenance/content_hash.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

using namespace recsim::test;

namespace {

bool one_line(const std::string& s) { return !s.empty() && s.back() == '\n' && std::count(s.begin(), s.end(), '\n') == 1; }

}  // namespace

TEST_CASE("recsim run writes the contract's results JSON and a summary", "[cli]") {
  TempDir dir;
  const auto scenario = dir.write("s.json", base_scenario_text());
  const auto out = dir.file("r.json");
  const auto r = run_recsim({"run", scenario, "--out", out});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());  // stderr is not a terminal: no progress bar
  CHECK(r.out.find("SLA") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["scenario"] == "cli-test");
  CHECK(j["seed"] == 7);
  CHECK(j["saturated"] == false);
  CHECK(j["queries"]["completed"] == 20000);
  CHECK(j["queries"]["measured"] == 19000);
  for (const char* k : {"mean", "p50", "p90", "p95", "p99", "p999", "max"}) CHECK(j["latency_ms"][k].is_number());
  CHECK(j["throughput_qps"].get<double>() == Approx(5600).epsilon(0.03));
  CHECK(j["sla"]["percentile"] == 95);
  CHECK(j["sla"]["target_ms"] == 10);
  CHECK(j["sla"]["observed_ms"] == j["latency_ms"]["p95"]);
  CHECK(j["sla"]["met"] == true);
  CHECK(j["utilization"]["cpu"].get<double>() == Approx(0.7).epsilon(0.03));
  CHECK(j["utilization"]["gpu"].is_null());
  CHECK(j["engine"]["requests_simulated"] == 20000);
  CHECK(j["engine"]["wall_seconds"].is_number());
  CHECK_FALSE(file_exists(out + ".tmp." + std::to_string(0)));
}

TEST_CASE("run flags --set, --seed and --quiet", "[cli]") {
  TempDir dir;
  const auto scenario = dir.write("s.json", base_scenario_text());
  const auto out = dir.file("r.json");
  const auto r = run_recsim({"run", scenario, "--quiet", "--seed", "99", "--set", "run.queries=5000", "--set",
                             "platform.servers.0.cpu_cores=16", "--out", out});
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());
  CHECK(r.err.empty());
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["seed"] == 99);
  CHECK(j["queries"]["completed"] == 5000);
  CHECK(j["utilization"]["servers"][0]["cores"].size() == 16);
}

TEST_CASE("same scenario and seed: byte-identical results except wall time", "[cli][determinism]") {
  TempDir dir;
  const auto scenario = dir.write("s.json", base_scenario_text());
  auto results = [&](const std::string& name) {
    REQUIRE(run_recsim({"run", scenario, "--quiet", "--out", dir.file(name)}).status == 0);
    auto j = nlohmann::json::parse(read_file(dir.file(name)));
    j["engine"].erase("wall_seconds");
    j["provenance"].erase("command_line");  // names the output file
    return j.dump();
  };
  CHECK(results("a.json") == results("b.json"));
}

TEST_CASE("results record their provenance: version, commit, command line, input hashes, host", "[cli][provenance]") {
  TempDir dir;
  const auto scenario = dir.write("s.json", base_scenario_text());
  const auto out = dir.file("r.json");
  REQUIRE(run_recsim({"run", scenario, "--quiet", "--seed", "5", "--set", "run.queries=3000", "--out", out}).status == 0);
  const auto p = nlohmann::json::parse(read_file(out)).at("provenance");
  CHECK(p["recsim_version"] == recsim::kRecsimVersion);
  CHECK(p["git_commit"] == recsim::kRecsimCommit);
  CHECK(p["command_line"] == "recsim run " + scenario + " --quiet --seed 5 --set run.queries=3000 --out " + out);
  REQUIRE(p["inputs"].size() == 1);
  CHECK(p["inputs"][0]["path"] == scenario);
  CHECK(p["inputs"][0]["sha256"] == recsim::sha256_hex(base_scenario_text()));
  // The final scenario: the file with the override and the seed applied, serialised with sorted keys.
  auto final_document = nlohmann::json::parse(base_scenario_text());
  final_document["run"]["queries"] = 3000;
  final_document["seed"] = 5;
  CHECK(p["scenario_sha256"] == recsim::sha256_hex(final_document.dump()));
  CHECK(p["host"]["usable_cpus"].get<int>() >= 1);
  // SHA-256 itself, against the FIPS 180-2 test vector.
  CHECK(recsim::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  const auto version = run_recsim({"--version"});
  CHECK(version.status == 0);
  CHECK(version.out == recsim::version_line() + "\n");
}

TEST_CASE("invalid input: exit 2, one line naming the path, no results file", "[cli][errors]") {
  TempDir dir;
  const auto good = dir.write("good.json", base_scenario_text());
  const auto out = dir.file("r.json");
  struct Case {
    std::vector<std::string> args;
    std::string expected;  // the whole stderr line
  };
  const std::string bad_json = dir.write("bad.json", "{ \"name\": \"x\", }");
  const std::string missing_file = dir.file("nope.json");
  const std::vector<Case> cases = {
      {{"run", bad_json}, "recsim: error: " + bad_json + ": malformed JSON at line 1, column 16: syntax error while parsing object key - unexpected '}'; expected string literal"},
      {{"run", missing_file}, "recsim: error: " + missing_file + ": file does not exist or is not a regular file"},
      {{"run", good, "--set", "typo=1"}, "recsim: error: typo: unknown key"},
      {{"runn", good}, "recsim: error: unknown command \"runn\" (did you mean \"run\"?); commands: run, capacity, tune, sweep, check, "
                       "plan, calibrate, accuracy, fit-gpu, validate, schema (see recsim --help)"},
      {{"simulate", good}, "recsim: error: unknown command \"simulate\"; commands: run, capacity, tune, sweep, check, plan, calibrate, "
                           "accuracy, fit-gpu, validate, schema (see recsim --help)"},
      {{"run", good, "--set", "workload.arrival.qps=-1"}, "recsim: error: workload.arrival.qps: expected a number > 0, got -1"},
      {{"run", good, "--set", "workload.arrival.qps=\"x\""}, "recsim: error: workload.arrival.qps: expected a number > 0, got \"x\""},
      {{"run", good, "--set", "platform.servers.0.cpu_cores=0"},
       "recsim: error: platform.servers.0.cpu_cores: expected an integer in [1, 4096], got 0"},
      {{"run", good, "--set", "workload.query_size={\"distribution\":\"empirical\",\"file\":\"missing.csv\"}"},
       "recsim: error: workload.query_size.file: file \"" + dir.file("missing.csv") + "\" does not exist or is not a regular file"},
      {{"run", good, "--set", "platform.servers.5.cpu_cores=1"},
       "recsim: error: --set platform.servers.5.cpu_cores=1: \"platform.servers\" has 1 elements; index 5 is out of range"},
      {{"run", good, "--set", "novalue"}, "recsim: error: --set novalue: expected PATH=VALUE"},
      {{"run", good, "--out", dir.file("no/such/dir/r.json")},
       "recsim: error: --out: directory \"" + dir.file("no/such/dir") + "\" does not exist"},
  };
  for (const auto& c : cases) {
    auto args = c.args;
    if (std::find(args.begin(), args.end(), "--out") == args.end()) {
      args.push_back("--out");
      args.push_back(out);
    }
    CAPTURE(args);
    const auto r = run_recsim(args);
    CHECK(r.status == 2);
    CHECK(r.err == c.expected + "\n");
    CHECK(r.out.empty());
    CHECK_FALSE(file_exists(out));
  }
}

TEST_CASE("bad flags exit 2 with one line", "[cli][errors]") {
  TempDir dir;
  const auto good = dir.write("good.json", base_scenario_text());
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"run", good, "--seed", "abc"}, {"run", good, "--bogus"}, {"run"}, {"fly", good}, {}}) {
    CAPTURE(args);
    const auto r = run_recsim(args);
    CHECK(r.status == 2);
    CHECK(one_line(r.err));
    CHECK(r.err.rfind("recsim: error: ", 0) == 0);
  }
  CHECK(run_recsim({"--help"}).status == 0);
  CHECK(run_recsim({"run", "--help"}).status == 0);
}
