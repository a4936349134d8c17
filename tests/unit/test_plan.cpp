// recsim plan: pools sized to cover each model's rate at the least objective, verified by a
// simulation of the whole fleet; exact errors in plan files.
#include "support/build_paths.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include "sim/planning/fleet_sizing.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace recsim;
using namespace recsim::test;
using json = nlohmann::json;

TEST_CASE("pool sizing: the kind cheapest per unit of capacity, the remainder covered at least cost", "[plan]") {
  // a: 100 qps for 1, b: 250 qps for 2 (0.008 per qps, the primary), c: 30 qps for 0.3.
  const std::vector<KindOffer> offers = {{"a", 100, 1}, {"b", 250, 2}, {"c", 30, 0.3}};
  auto sized = size_pool(1000, offers);  // exactly 4 b
  REQUIRE(sized.size() == 1);
  CHECK(sized[0].kind == "b");
  CHECK(sized[0].servers == 4);
  sized = size_pool(1050, offers);  // 4 b + 50 qps: 2 c (0.6) beats a (1) and a 5th b (2)
  REQUIRE(sized.size() == 2);
  CHECK(sized[0].kind == "b");
  CHECK(sized[0].servers == 4);
  CHECK(sized[1].kind == "c");
  CHECK(sized[1].servers == 2);
  sized = size_pool(1240, {{"a", 100, 1}, {"b", 250, 2}});  // 4 b + 240: one more b (2) beats 3 a (3)
  REQUIRE(sized.size() == 1);
  CHECK(sized[0].servers == 5);
  sized = size_pool(40, offers);  // below one primary: 2 c
  REQUIRE(sized.size() == 1);
  CHECK(sized[0].kind == "c");
  CHECK(sized[0].servers == 2);
  CHECK_THROWS_WITH(size_pool(10, {{"a", 0, 1}}), "no server kind serves the model within its SLA");
  // A count beyond what a fleet may hold is refused before it becomes an integer (it overflowed).
  CHECK_THROWS_WITH(size_pool(1e12, {{"a", 1e-3, 1}}),
                    "1e+12 qps at 0.001 qps per a server needs more than 100000 servers, the most a fleet may have");
  sized = size_pool(100'000 * 250.0 - 100, {{"b", 250, 2}, {"c", 1e-9, 1}});  // c would need 10^11 servers: not a choice
  REQUIRE(sized.size() == 1);
  CHECK(sized[0].servers == 100'000);
}

namespace {
json fleet() {
  auto kind = [](const std::string& name, int cores) {
    return json{{"name", name}, {"cpu_cores", cores},
                {"power", {{"cpu_idle_w", 10 * cores}, {"cpu_busy_w", 20 * cores}, {"other_w", 5}, {"source", "test figures"}}}};
  };
  auto model = [](const std::string& name, double share, double ms) {
    return json{{"name", name}, {"share", share}, {"query_size", {{"distribution", "fixed"}, {"value", 1}}},
                {"service", {{"type", "exponential"}, {"mean_ms", ms}}}, {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
                {"sla", {{"percentile", 95}, {"target_ms", 5 * ms}}}};
  };
  return {{"format", 2}, {"name", "tiny"}, {"seed", 3},
          {"server_kinds", json::array({kind("small", 2), kind("large", 8)})},
          {"server_groups", json::array({{{"name", "s"}, {"kind", "small"}, {"count", 1}}, {{"name", "l"}, {"kind", "large"}, {"count", 1}}})},
          {"workload", {{"arrival", {{"process", "poisson"}, {"qps", 1000}}}}},
          {"models", json::array({model("a", 3, 1.0), model("b", 1, 2.0)})},  // shares 0.75 and 0.25
          {"balancer", {{"policy", "least_loaded"}}},
          {"run", {{"queries", 4000}, {"warmup_queries", 400}}}};
}
}  // namespace

TEST_CASE("recsim plan: each model's pool verified by simulating the whole fleet", "[plan][cli]") {
  TempDir dir;
  dir.write_json("fleet.json", fleet());
  const json plan = {{"fleet", "fleet.json"},
                     {"objective", "cost"},
                     {"cost_per_hour", {{"small", 1.0}, {"large", 3.0}}},
                     {"targets", json::array({{{"qps", 4000}}, {{"models", {{"a", 500}, {"b", 8000}}}}})},
                     {"capacity", {{"queries", 4000}, {"precision", 0.05}}},
                     {"verify", {{"queries", 8000}}}};
  const auto file = dir.write_json("plan.json", plan);
  const auto r = run_recsim({"plan", file, "--out", dir.file("out.json"), "--quiet"});
  REQUIRE(r.status == 0);
  std::ifstream in(dir.file("out.json"));
  std::stringstream text;
  text << in.rdbuf();
  const json out = json::parse(text.str());
  REQUIRE(out["capacities"].size() == 4);
  // One 8-core server carries more than four times a 2-core one at the same SLA (pooling), so at
  // 3x the cost it is the cheaper per unit of capacity.
  double small_a = 0, large_a = 0;
  for (const auto& c : out["capacities"]) {
    if (c["model"] == "a" && c["kind"] == "small") small_a = c["max_qps"];
    if (c["model"] == "a" && c["kind"] == "large") large_a = c["max_qps"];
  }
  CHECK(large_a > 4 * small_a);
  REQUIRE(out["fleets"].size() == 2);
  for (const auto& f : out["fleets"]) {
    CHECK(f["verified"] == true);
    for (const auto& m : f["verification"]["models"]) CHECK(m["sla"]["met"] == true);
    // Enough capacity for every model's rate, by the per-server capacities.
    for (const auto& model : {"a", "b"}) {
      double covered = 0;
      for (const auto& p : f["pools"])
        if (p["model"] == model)
          for (const auto& c : out["capacities"])
            if (c["model"] == model && c["kind"] == p["kind"]) covered += p["servers"].get<int>() * c["max_qps"].get<double>();
      CHECK(covered >= f["model_qps"][model].get<double>());
    }
  }
  // The fleet's shares are normalised (3 and 1 are 75% and 25%).
  CHECK(out["fleets"][0]["model_qps"]["a"] == 3000.0);
  CHECK(out["fleets"][0]["model_qps"]["b"] == 1000.0);
  CHECK(out["fleets"][1]["target_qps"] == 8500.0);
  // Each verification long enough for 2,000 measured queries of every model (p95): b is a quarter
  // of the first target (8,000 + 800 warm-up), a 1/17 of the second (34,000 + 800).
  CHECK(out["fleets"][0]["attempts"][0]["queries"] == 8800);
  CHECK(out["fleets"][1]["attempts"][0]["queries"] == 34800);
  CHECK(out["provenance"]["inputs"][0]["path"] == dir.file("fleet.json"));
}

TEST_CASE("a bad plan file: one line naming the file and the JSON path, before any work", "[plan][errors]") {
  TempDir dir;
  dir.write_json("fleet.json", fleet());
  auto error = [&](const json& plan) {
    const auto file = dir.write_json("plan.json", plan);
    const auto r = run_recsim({"plan", file});
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    return r.err;
  };
  const std::string f = dir.file("plan.json");
  CHECK(error({{"fleet", "fleet.json"}, {"targets", json::array({{{"qps", 100}}})}}) ==
        "recsim: error: " + f + ": cost_per_hour: the objective is cost: expected a cost per hour > 0 for server kind \"small\" (here or in the fleet's server_kinds)\n");
  CHECK(error({{"fleet", "fleet.json"}, {"objective", "servers"}, {"targets", json::array({{{"models", {{"c", 100}}}}})}}) ==
        "recsim: error: " + f + ": targets.0.models.c: unknown key\n");
  CHECK(error({{"fleet", "fleet.json"}, {"objective", "servers"}, {"kinds", {"huge"}}, {"growth", {{"qps", 100}, {"factor", 2}, {"steps", 2}}}}) ==
        "recsim: error: " + f + ": kinds.0: expected the name of one of the fleet's server kinds, got \"huge\"\n");
  CHECK(error({{"fleet", "fleet.json"}, {"objective", "servers"}}) == "recsim: error: " + f + ": targets: expected exactly one of \"targets\" or \"growth\"\n");
  // A model whose part of the target is too small to be measured within 10^8 queries.
  CHECK(error({{"fleet", "fleet.json"}, {"objective", "servers"}, {"targets", json::array({{{"qps", 100}}, {{"models", {{"a", 1e6}, {"b", 1e-3}}}}})}}) ==
        "recsim: error: " + f + ": targets.1: model b is 1e-09 of the target's rate: measuring 2000 of its queries (for its p95) needs 2e+12 "
        "queries in the verification, more than 100000000; give it a larger share or size it in a plan of its own\n");
  // A verification the resource limits refuse, before any capacity search: 200,000 queries of
  // 100,000 one-item requests each (the queries in flight alone would hold 10^10 requests).
  auto heavy = fleet();
  heavy["models"][0]["query_size"]["value"] = 100000;
  dir.write_json("heavy.json", heavy);
  const std::string refused = error({{"fleet", "heavy.json"}, {"objective", "servers"}, {"targets", json::array({{{"qps", 100}}})}});
  INFO(refused);
  CHECK(refused.rfind("recsim: error: " + f + ": the fleet in pools (one per model and kind): models: the run would need about ", 0) == 0);
  CHECK(refused.find("pass --allow-large to run it anyway") != std::string::npos);
  auto v1 = json{{"fleet", "../x.json"}, {"objective", "servers"}, {"targets", json::array({{{"qps", 1}}})}};
  CHECK(error(v1).rfind("recsim: error: " + f + ": fleet: ", 0) == 0);
}

TEST_CASE("every shipped plan is valid", "[plan][shipped]") {
  namespace fs = std::filesystem;
  int plans = 0;
  for (const auto& e : fs::directory_iterator(fs::path(recsim::test::source_dir()) / "scenarios/plans")) {
    CAPTURE(e.path().string());
    const auto r = run_recsim({"plan", e.path().string(), "--validate-only"});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    ++plans;
  }
  CHECK(plans >= 1);
}

TEST_CASE("recsim plan --set changes the plan's fleet before validation", "[plan][cli]") {
  const std::string plan = recsim::test::source_dir() + "/scenarios/plans/at-scale-growth.json";
  const auto bad = run_recsim({"plan", plan, "--set", "models.0.sla.target_ms=-1", "--validate-only"});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: " + plan + ": fleet: " + recsim::test::source_dir() +
                       "/scenarios/plans/../datacenter/at-scale.json: models.0.sla.target_ms: expected a number in (0, 1e+12], got -1\n");
  CHECK(run_recsim({"plan", plan, "--set", "models.0.sla.target_ms=50", "--validate-only"}).status == 0);
}

TEST_CASE("recsim plan through time: the peak of a diurnal fleet, N+k redundancy verified with k servers of every pool down, --set plan.KEY",
          "[plan][cli][failures]") {
  TempDir dir;
  auto diurnal = fleet();
  diurnal["workload"]["arrival"] = {{"process", "diurnal"}, {"qps", 1000}, {"peak_to_trough", 3}, {"period_s", 60}};
  dir.write_json("fleet.json", diurnal);
  const json plan = {{"fleet", "fleet.json"},
                     {"objective", "cost"},
                     {"cost_per_hour", {{"small", 1.0}, {"large", 3.0}}},
                     {"targets", "fleet_peak"},
                     {"redundancy", {{"rule", "n_plus_k"}, {"k", 1}}},
                     {"capacity", {{"queries", 4000}, {"precision", 0.05}}},
                     {"verify", {{"queries", 8000}}}};
  const auto file = dir.write_json("plan.json", plan);
  const auto r = run_recsim({"plan", file, "--out", dir.file("out.json"), "--quiet", "--set", "plan.objective=servers"});
  REQUIRE(r.status == 0);
  std::ifstream in(dir.file("out.json"));
  const json out = json::parse(in);
  CHECK(out["objective"] == "servers");
  REQUIRE(out["fleets"].size() == 1);
  const json& f = out["fleets"][0];
  // A sinusoid with peak 3x its trough peaks at 2 x 3 / (3 + 1) = 1.5 times its mean.
  CHECK(f["target_qps"].get<double>() == Approx(1500).epsilon(1e-12));
  CHECK(f["verified"] == true);
  const int pools = static_cast<int>(f["pools"].size());
  CHECK(f["redundancy"]["rule"] == "n_plus_k");
  CHECK(f["redundancy"]["servers"] == pools);
  for (const auto& p : f["pools"]) CHECK(p["servers"].get<int>() >= 2);
  // Verified with one server of every pool down throughout.
  REQUIRE(f["availability"].is_object());
  CHECK(f["availability"]["servers_down"] == pools);
  CHECK(f["verification_results"]["availability"]["server_down_s"].get<double>() ==
        Approx(pools * f["verification_results"]["engine"]["virtual_seconds"].get<double>()).epsilon(1e-9));

  const auto error = [&](const json& p) {
    const auto bad = run_recsim({"plan", dir.write_json("bad.json", p), "--validate-only"});
    CHECK(bad.status == 2);
    return bad.err;
  };
  json rack = plan;
  rack["redundancy"] = {{"rule", "rack"}};
  CHECK(error(rack) == "recsim: error: " + dir.file("bad.json") + ": redundancy.rule: \"rack\" needs the fleet's network (its racks)\n");
  json k = plan;
  k["redundancy"] = {{"rule", "rack"}, {"k", 2}};
  CHECK(error(k) == "recsim: error: " + dir.file("bad.json") + ": redundancy.k: only the \"n_plus_k\" rule takes k\n");
  json peak = plan;
  peak["targets"] = "peak";
  CHECK(error(peak) == "recsim: error: " + dir.file("bad.json") + ": targets: expected a list of targets or \"fleet_peak\", got \"peak\"\n");
}

TEST_CASE("a sweep of plans: SLA targets and redundancy on axes, one table row per plan", "[plan][sweep][cli]") {
  TempDir dir;
  dir.write_json("fleet.json", fleet());
  dir.write_json("plan.json", {{"fleet", "fleet.json"},
                               {"objective", "servers"},
                               {"targets", json::array({{{"qps", 2000}}})},
                               {"capacity", {{"queries", 4000}, {"precision", 0.05}}},
                               {"verify", {{"queries", 8000}}}});
  const auto sweep = dir.write_json("sweep.json", {{"name", "plans"},
                                                   {"scenario", "plan.json"},
                                                   {"command", "plan"},
                                                   {"axes", json::array({{{"path", "plan.redundancy"},
                                                                          {"values", json::array({{{"rule", "none"}}, {{"rule", "n_plus_k"}, {"k", 1}}})}}})}});
  const auto r = run_recsim({"sweep", sweep, "--store", dir.file("store"), "--quiet"});
  REQUIRE(r.status == 0);
  std::ifstream in(dir.file("store/table.jsonl"));
  std::vector<json> rows;
  for (std::string line; std::getline(in, line);) rows.push_back(json::parse(line));
  REQUIRE(rows.size() == 2);
  for (const auto& row : rows) {
    CHECK(row["status"] == "done");
    CHECK(row["verified"] == true);
  }
  // N+1 adds a server to each model's pool (two models here).
  CHECK(rows[1]["servers"].get<int>() - rows[0]["servers"].get<int>() >= 2);
  CHECK(rows[0]["within_sla"].is_null());  // no redundancy: nothing down, no availability
  CHECK(rows[1]["within_sla"].get<double>() > 0.9);
  const auto seeded = run_recsim({"sweep", dir.write_json("bad.json", {{"scenario", "plan.json"}, {"command", "plan"}, {"repetitions", 2}}),
                                  "--dry-run"});
  CHECK(seeded.status == 2);
  CHECK(seeded.err.find("repetitions: a plan has no seed to repeat over") != std::string::npos);
}
