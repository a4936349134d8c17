// `recsim tune` on a fleet (format 2): each (model, kind) tuned on one server of the kind, the fleet's
// capacity with the baseline, given and tuned schedulers, and the tuned scenario written elsewhere
// with its file paths moved (sim/search/fleet_tuning.h, sim/scenario/scenario_paths.h).
#include "sim/scenario/scenario_parser.h"
#include "sim/scenario/scenario_paths.h"
#include "sim/scenario/scenario_schema.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <set>

using namespace recsim;
using namespace recsim::test;
using json = nlohmann::json;

namespace {

// Two kinds (4 and 8 cores, two servers each) serving two models of 8-item queries. Model a: 1 ms
// for one item, 2 ms for eight (whole queries are cheapest); model b: 1 ms per item, so a whole
// query takes 8 ms, beyond its 6 ms target at any rate, while split over cores it takes 2 ms.
// Model a's sizes come from a file beside the scenario (an empirical distribution of one size).
json two_model_fleet(const TempDir& dir) {
  dir.write("sizes.csv", "8,1\n");
  return {{"format", 2},
          {"name", "two-models"},
          {"seed", 3},
          {"server_kinds", {{{"name", "small"}, {"cpu_cores", 4}}, {{"name", "large"}, {"cpu_cores", 8}}}},
          {"server_groups", {{{"name", "s"}, {"kind", "small"}, {"count", 2}}, {{"name", "l"}, {"kind", "large"}, {"count", 2}}}},
          {"workload", {{"arrival", {{"process", "poisson"}, {"qps", 1000}}}}},
          {"models",
           {{{"name", "a"}, {"share", 0.6}, {"query_size", {{"distribution", "empirical"}, {"file", "sizes.csv"}}},
             {"service", {{"type", "table"}, {"points", {{{"batch", 1}, {"ms", 1.0}}, {{"batch", 8}, {"ms", 2.0}}}}}},
             {"scheduler", {{"policy", "static"}, {"batch_size", 2}}},
             {"sla", {{"percentile", 95}, {"target_ms", 20}}}},
            {{"name", "b"}, {"share", 0.4}, {"query_size", {{"distribution", "fixed"}, {"value", 8}}},
             {"service", {{"type", "table"}, {"points", {{{"batch", 1}, {"ms", 1.0}}, {{"batch", 8}, {"ms", 8.0}}}}}},
             {"scheduler", {{"policy", "static"}, {"batch_size", 8}}},
             {"sla", {{"percentile", 95}, {"target_ms", 6}}}}}},
          {"balancer", {{"policy", "power_of_two"}}},
          {"run", {{"queries", 20000}, {"warmup_queries", 2000}}}};
}

}  // namespace

TEST_CASE("recsim tune on a fleet: each (model, kind) on one server, then the fleet, and a tuned scenario that runs", "[cli][tune][datacenter]") {
  TempDir dir;
  const auto scenario = dir.write_json("fleet.json", two_model_fleet(dir));
  std::filesystem::create_directories(dir.file("elsewhere/deeper"));
  const auto out = dir.file("t.json"), csv = dir.file("t.csv"), tuned = dir.file("elsewhere/deeper/tuned.json");
  const auto r = run_recsim({"tune", scenario, "--batches", "1,2,4,8", "--precision", "0.05", "--out", out, "--csv", csv,
                             "--tuned-scenario", tuned});
  REQUIRE(r.status == 0);
  CHECK(r.out.find("the fleet's max load: static baseline 0 qps; as given 0 qps; tuned ") != std::string::npos);
  const auto j = json::parse(read_file(out));
  REQUIRE(j["pairs"].size() == 4);  // every model on both kinds, model by model
  const std::vector<std::pair<std::string, std::string>> pairs = {{"a", "small"}, {"a", "large"}, {"b", "small"}, {"b", "large"}};
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    CAPTURE(i);
    const auto& p = j["pairs"][i];
    CHECK(p["model"] == pairs[i].first);
    CHECK(p["kind"] == pairs[i].second);
    CHECK(p["baseline"]["batch_size"] == 8);  // the largest query: no splitting
    CHECK(j["best"]["schedulers"][pairs[i].first][pairs[i].second]["batch_size"] == p["best"]["batch_size"]);
    CHECK(j["baseline"]["schedulers"][pairs[i].first][pairs[i].second]["batch_size"] == 8);
  }
  // Model a: a whole query costs a core 2 ms, split into eight it costs 8 ms: no splitting wins,
  // and one server's capacity is below cores / 2 ms (4 cores: 2,000 qps; 8 cores: 4,000).
  CHECK(j["pairs"][0]["best"]["batch_size"] == 8);
  CHECK(j["pairs"][1]["best"]["batch_size"] == 8);
  CHECK(j["pairs"][0]["best"]["max_qps"].get<double>() < 2000.0);
  CHECK(j["pairs"][1]["best"]["max_qps"].get<double>() < 4000.0);
  // Model b: unsplit it meets its SLA at no rate; split it does.
  for (std::size_t i : {2u, 3u}) {
    CHECK(j["pairs"][i]["baseline"]["max_qps"] == 0.0);
    CHECK(j["pairs"][i]["best"]["batch_size"].get<int>() < 8);
    CHECK(j["pairs"][i]["gain_beyond_noise"] == true);
  }
  // The fleet: the baseline and the scenario as given (b unsplit) meet b's SLA at no rate; tuned,
  // the fleet stays below its CPUs' stability limit: 24 cores / (0.6 x 2 ms + 0.4 x 8 ms) per query.
  CHECK(j["fleet"]["baseline"]["max_qps"] == 0.0);
  CHECK(j["fleet"]["given"]["max_qps"] == 0.0);
  const double tuned_qps = j["best"]["max_qps"].get<double>();
  CHECK(tuned_qps == j["fleet"]["tuned"]["max_qps"].get<double>());
  CHECK(tuned_qps > 0.5 * 24 / 4.4e-3);
  CHECK(tuned_qps < 24 / 4.4e-3);
  CHECK(j["gain_beyond_noise"] == true);
  CHECK(j["speedup"].is_null());
  CHECK(j["fleet"]["given"]["same_as"].is_null());  // a at batch 2 is neither a's best nor its baseline
  int simulations = 0;
  for (const auto& p : j["pairs"]) simulations += p["evaluations"].get<int>();
  for (const char* what : {"baseline", "given", "tuned"}) simulations += j["fleet"][what]["evaluations"].get<int>();
  CHECK(simulations == j["evaluations"].get<int>());
  CHECK(j["tuned_scenario"] == tuned);
  // One CSV row per simulation, the other seeds' left out.
  const std::string rows = read_file(csv);
  CHECK(rows.rfind("stage,model,kind,batch_size,gpu_threshold,qps,", 0) == 0);
  CHECK(static_cast<int>(std::count(rows.begin(), rows.end(), '\n')) == 1 + j["evaluations"].get<int>());
  CHECK(rows.find("\npair,b,large,1,,") != std::string::npos);

  // The tuned scenario: each model's scheduler is its best (the same on both kinds here, so no
  // scheduler_by_kind), and model a's sizes file is still the one beside the original.
  const auto doc = json::parse(read_file(tuned));
  CHECK(doc["models"][0]["scheduler"] == json({{"policy", "static"}, {"batch_size", 8}}));
  CHECK(doc["models"][1]["scheduler"]["batch_size"] == j["pairs"][3]["best"]["batch_size"]);
  CHECK(doc["models"][0]["query_size"]["file"] == "../../sizes.csv");
  const Scenario loaded = load_scenario(tuned, {});
  CHECK(loaded.fleet.models[1].scheduler[0].batch_size == j["pairs"][2]["best"]["batch_size"].get<int>());
  const auto run = run_recsim({"run", tuned, "--quiet", "--set", "run.queries=2000", "--set", "run.warmup_queries=200"});
  CHECK(run.status == 0);

  // The same answer whatever the jobs.
  const auto out_3 = dir.file("t3.json");
  REQUIRE(run_recsim({"tune", scenario, "--batches", "1,2,4,8", "--precision", "0.05", "--out", out_3, "--jobs", "3", "--quiet"}).status == 0);
  auto a = json::parse(read_file(out_3)), b = j;
  for (auto* x : {&a, &b}) {
    x->erase("engine");
    x->erase("provenance");
    x->erase("tuned_scenario");
  }
  CHECK(a.dump() == b.dump());
}

TEST_CASE("recsim tune on a fleet refuses what it cannot do, before any work", "[cli][tune][datacenter]") {
  TempDir dir;
  const auto fleet = dir.write_json("fleet.json", two_model_fleet(dir));
  const auto no_gpu = run_recsim({"tune", fleet, "--thresholds", "2,4"});
  CHECK(no_gpu.status == 2);
  CHECK(no_gpu.err == "recsim: error: --thresholds: no model of the fleet can be offloaded: it needs a server kind with GPUs and a gpu_profile\n");
  const auto same = run_recsim({"tune", fleet, "--out", dir.file("x.json"), "--tuned-scenario", dir.file("x.json")});
  CHECK(same.status == 2);
  CHECK(same.err.rfind("recsim: error: --tuned-scenario: ", 0) == 0);
  CHECK_FALSE(file_exists(dir.file("x.json")));
  const auto onto_input = run_recsim({"tune", fleet, "--tuned-scenario", fleet});
  CHECK(onto_input.status == 2);
  const auto single = dir.write("single.json", base_scenario_text());
  const auto slice = run_recsim({"tune", single, "--slice-queries", "1000"});
  CHECK(slice.status == 2);
  CHECK(slice.err == "recsim: error: --slice-queries: only for a fleet (a format-2 scenario): a format-1 scenario is tuned on its own servers\n");
  // A pair's own checks name the pair.
  auto doc = two_model_fleet(dir);
  doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("at-once.csv", "0,8\n0,8\n")}};
  doc["models"][0].erase("query_size");
  doc["models"][1].erase("query_size");
  doc["run"] = {{"queries", 2}, {"warmup_queries", 0}};
  const auto at_once = run_recsim({"tune", dir.write_json("trace.json", doc)});
  CHECK(at_once.status == 2);
  CHECK(at_once.err == "recsim: error: workload.arrival.file: tuning model \"a\" on one server of kind \"small\": recsim tune varies the "
                       "arrival rate, and this trace's arrivals all come at time 0\n");
  const auto beyond_trace = run_recsim({"tune", dir.file("trace.json"), "--slice-queries", "3"});
  CHECK(beyond_trace.status == 2);
  CHECK(beyond_trace.err == "recsim: error: --slice-queries: the trace has only 2 queries, fewer than 3\n");
}

TEST_CASE("a scenario's file paths are found by their declarations and moved with the document", "[keys][tune]") {
  const auto& files = file_key_names();
  for (const char* name : {"cpu_profile", "gpu_profile", "profile", "model_file", "tier_profile", "file"}) {
    CAPTURE(name);
    CHECK(files.count(name) == 1);
  }
  // No key name is a file in one object and something else in another: the name alone decides.
  std::set<std::string> other;
  const std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_array())
      for (const auto& item : node) walk(item);
    if (!node.is_object()) return;
    for (const auto& [key, value] : node.items()) {
      if (key == "properties" && value.is_object())
        for (const auto& [name, property] : value.items())
          if (!(property.is_object() && property.value("format", "") == "path")) other.insert(name);
      walk(value);
    }
  };
  walk(scenario_schema());
  for (const auto& name : files) {
    CAPTURE(name);
    CHECK(other.count(name) == 0);
  }
  json doc = {{"name", "a/b.json"},
              {"workload", {{"arrival", {{"process", "trace"}, {"file", "traces/t.csv"}}}}},
              {"server_kinds", {{{"name", "k"}, {"cpu_profile", "/abs/p.json"}, {"gpu_profile", "../g.json"}}}}};
  move_file_paths(doc, "/data/scenarios/x", "/data/out");
  CHECK(doc["name"] == "a/b.json");
  CHECK(doc["workload"]["arrival"]["file"] == "../scenarios/x/traces/t.csv");
  CHECK(doc["server_kinds"][0]["cpu_profile"] == "/abs/p.json");
  CHECK(doc["server_kinds"][0]["gpu_profile"] == "../scenarios/g.json");

  // Lexically, as the parser reads them: through a symbolic link to elsewhere, ".." climbs the link's
  // own path, so the written path must not resolve the link.
  TempDir dir;
  std::filesystem::create_directories(dir.file("real"));
  std::filesystem::create_directory_symlink(dir.file("real"), dir.file("link"));
  json moved = {{"file", "sizes.csv"}};
  move_file_paths(moved, dir.path(), dir.file("link"));
  CHECK(moved["file"] == "../sizes.csv");
}
