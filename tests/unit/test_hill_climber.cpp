// DeepRecSched's hill climbing on synthetic capacity functions whose optimum is known, and the
// `recsim tune` command on a small real scenario.
#include "sim/search/hill_climber.h"
#include "sim/search/tune_search.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

using namespace recsim;
using namespace recsim::test;

namespace {

// Each configuration "costs" 3 simulations, or 1 when screened out (a search that starts at the
// floor and misses there); counts how often each is asked for.
CapacityOf counting(std::function<double(const TuneConfig&)> f, std::map<std::pair<int, int>, int>& asked) {
  return [f, &asked](const TuneConfig& c, std::optional<double> floor) {
    ++asked[{c.batch_size, c.gpu_threshold.value_or(-1)}];
    if (floor && f(c) < *floor) {
      TunePoint p{c, 0, 1, ""};
      p.screened = true;
      p.below_qps = *floor;
      return p;
    }
    return TunePoint{c, f(c), 3, ""};
  };
}

// Max load by batch size with a first peak at b = 3, a dip at 4, the global peak at 64; the
// ladder is its batch sizes, the baseline the largest.
const std::map<int, double> kDipLadder = {{1, 100}, {2, 200}, {3, 300}, {4, 250},  {6, 260},  {8, 400},  {12, 500},
                                          {16, 600}, {24, 700}, {32, 800}, {48, 900}, {64, 1000}, {96, 950}};
TuneOptions dip_ladder_options() {
  TuneOptions o;
  for (const auto& [b, q] : kDipLadder) o.batch_ladder.push_back(b);
  o.baseline_batch = 96;
  return o;
}

}  // namespace

TEST_CASE("hill climbing stops at the first decrease and keeps the previous batch size", "[tune]") {
  // Unimodal in log2(b), peak at b = 32.
  const auto f = [](const TuneConfig& c) { return 1000.0 - 10.0 * std::pow(std::log2(c.batch_size) - 5.0, 2); };
  std::map<std::pair<int, int>, int> asked;
  TuneOptions o;
  o.batch_ladder = default_batch_ladder();
  o.baseline_batch = 1024;
  o.grid = true;
  const TuneResult r = hill_climb(o, counting(f, asked));
  CHECK(r.best.config.batch_size == 32);
  CHECK(r.climb.config == r.best.config);
  CHECK_FALSE(r.best.config.gpu_threshold.has_value());
  CHECK(r.best.max_qps == Approx(1000.0));
  CHECK(r.baseline.config.batch_size == 1024);
  CHECK(r.baseline.max_qps == Approx(1000.0 - 250.0));
  // The climb: 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, then 48 (lower): 11 steps.
  REQUIRE(r.path.size() == 11);
  CHECK(r.path.back().config.batch_size == 48);
  CHECK(r.path.back().phase == "batch");
  // 48 was screened out: it missed at 32's max load, and its own was not searched for.
  CHECK(r.path.back().screened);
  CHECK(r.path.back().below_qps == Approx(1000.0));
  for (std::size_t i = 0; i + 1 < r.path.size(); ++i) CHECK_FALSE(r.path[i].screened);
  REQUIRE(r.grid_best.has_value());
  CHECK(r.grid_best->config.batch_size == 32);
  CHECK(r.grid.size() == o.batch_ladder.size());
  // Every configuration searched once, whatever the phases that asked for it; the grid searches the
  // screened one in full (its exact max load: 1000 - 10 x log2(1.5)^2).
  for (const auto& [config, n] : asked) CHECK(n == (config.first == 48 ? 2 : 1));
  for (const auto& p : r.grid) {
    CHECK_FALSE(p.screened);
    if (p.config.batch_size == 48) CHECK(p.max_qps == Approx(1000.0 - 10.0 * std::pow(std::log2(1.5), 2)));
  }
  CHECK(r.evaluations == 3 * static_cast<int>(asked.size()) + 1);
}

TEST_CASE("hill climbing can stop at a local optimum, and the grid shows the gap", "[tune]") {
  const std::map<int, double>& qps = kDipLadder;
  std::map<std::pair<int, int>, int> asked;
  TuneOptions o = dip_ladder_options();
  o.grid = true;
  const TuneResult r = hill_climb(o, counting([&](const TuneConfig& c) { return qps.at(c.batch_size); }, asked));
  CHECK(r.climb.config.batch_size == 3);
  CHECK(r.path.size() == 4);
  // The climb stopped below the no-splitting baseline (950 qps at 96): the baseline is kept.
  CHECK(r.best.config.batch_size == 96);
  CHECK(r.best.phase == "baseline");
  REQUIRE(r.grid_best.has_value());
  CHECK(r.grid_best->config.batch_size == 64);
  CHECK(r.grid_best->max_qps / r.climb.max_qps == Approx(1000.0 / 300.0));
}

TEST_CASE("with GPU thresholds the climb tunes b first, then t from the smallest", "[tune]") {
  // Without offload the best b is 8; offload helps up to t = 256 at b = 8.
  const auto f = [](const TuneConfig& c) {
    const double cpu = 500.0 - std::abs(std::log2(c.batch_size) - 3.0) * 50.0;
    if (!c.gpu_threshold) return cpu;
    return cpu + 300.0 - std::abs(std::log2(*c.gpu_threshold) - 8.0) * 40.0;
  };
  std::map<std::pair<int, int>, int> asked;
  TuneOptions o;
  o.batch_ladder = {1, 2, 4, 8, 16, 32};
  o.threshold_ladder = {32, 64, 128, 256, 512, 1024};
  o.baseline_batch = 1024;
  const TuneResult r = hill_climb(o, counting(f, asked));
  CHECK(r.best.config.batch_size == 8);
  REQUIRE(r.best.config.gpu_threshold.has_value());
  CHECK(*r.best.config.gpu_threshold == 256);
  CHECK(r.best.max_qps == Approx(800.0));
  CHECK(r.path.size() == 5 + 5);  // b: 1, 2, 4, 8, 16; t: 32, 64, 128, 256, 512
  CHECK(r.path[5].phase == "threshold");
  CHECK_FALSE(r.grid_best.has_value());
}

TEST_CASE("recsim tune writes the contract's JSON, and --grid adds the grid", "[cli][tune]") {
  TempDir dir;
  // 8 cores, lognormal sizes, deterministic 1 ms per request + table: batch 4 costs 2 ms, 8 costs 3 ms.
  auto doc = nlohmann::json::parse(base_scenario_text());
  doc["workload"]["query_size"] = {{"distribution", "fixed"}, {"value", 8}};
  doc["service"] = {{"type", "table"}, {"points", {{{"batch", 1}, {"ms", 1.0}}, {{"batch", 8}, {"ms", 2.0}}}}};
  doc["sla"]["target_ms"] = 20;
  doc["workload"]["arrival"]["qps"] = 1000;
  doc["run"] = {{"queries", 5000}, {"warmup_queries", 500}};
  const auto scenario = dir.write_json("s.json", doc);
  const auto out = dir.file("t.json");
  const auto csv = dir.file("t.csv");
  const auto r = run_recsim({"tune", scenario, "--out", out, "--batches", "1,2,4,8", "--grid", "--precision", "0.05",
                             "--csv", csv});
  REQUIRE(r.status == 0);
  const std::string rows = read_file(csv);
  CHECK(rows.rfind("batch_size,gpu_threshold,qps,observed_ms,ci95_low_ms,ci95_high_ms,met,saturated,stopped_early\n", 0) == 0);
  CHECK(r.out.find("best: batch") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["best"]["batch_size"].is_number_integer());
  CHECK(j["best"]["gpu_threshold"].is_null());
  CHECK(j["best"]["max_qps"].get<double>() > 0);
  CHECK(j["baseline"]["batch_size"] == 8);  // the largest query: no splitting
  CHECK(j["evaluations"].get<int>() > 0);
  // One CSV row per simulation.
  CHECK(static_cast<int>(std::count(rows.begin(), rows.end(), '\n')) == 1 + j["evaluations"].get<int>());
  CHECK(j["path"].size() >= 2);
  CHECK(j["grid"]["best"]["max_qps"].get<double>() >= j["best"]["max_qps"].get<double>());
  // Serving a size-8 query as one 2 ms batch costs a core 2 ms; split into 8 one-item requests it
  // costs 8 ms of core time: no splitting has the most capacity here.
  CHECK(j["grid"]["best"]["batch_size"] == 8);

  // The same answer whatever the jobs: the climb, its capacities and the CSV of simulations.
  for (const char* jobs : {"1", "3"}) {
    CAPTURE(jobs);
    const auto out_j = dir.file(std::string("t-") + jobs + ".json"), csv_j = dir.file(std::string("t-") + jobs + ".csv");
    REQUIRE(run_recsim({"tune", scenario, "--out", out_j, "--batches", "1,2,4,8", "--grid", "--precision", "0.05", "--csv",
                        csv_j, "--jobs", jobs, "--quiet"})
                .status == 0);
    auto a = nlohmann::json::parse(read_file(out_j)), b = j;
    a.erase("engine");
    b.erase("engine");
    a.erase("provenance");  // the command lines differ
    b.erase("provenance");
    CHECK(a.dump() == b.dump());
    CHECK(read_file(csv_j) == rows);
  }

  const auto bad = run_recsim({"tune", scenario, "--batches", "4,2,4"});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: --batches: lists a value twice\n");
  CHECK(run_recsim({"tune", scenario, "--out", out}).status == 0);
  const auto no_grid = nlohmann::json::parse(read_file(out));
  CHECK_FALSE(no_grid.contains("grid"));
}

TEST_CASE("recsim tune: where no rate meets the SLA unsplit, splitting is the gain beyond noise", "[cli][tune]") {
  TempDir dir;
  // 8 cores, queries of 8 items, 1 ms per item: whole, a query takes 8 ms, beyond the 3 ms target
  // at any rate; in requests of 2 items over 4 cores it takes 2 ms.
  auto doc = nlohmann::json::parse(base_scenario_text());
  doc["workload"]["query_size"] = {{"distribution", "fixed"}, {"value", 8}};
  doc["service"] = {{"type", "table"}, {"points", {{{"batch", 1}, {"ms", 1.0}}, {{"batch", 8}, {"ms", 8.0}}}}};
  doc["sla"]["target_ms"] = 3;
  doc["workload"]["arrival"]["qps"] = 100;
  doc["run"] = {{"queries", 4000}, {"warmup_queries", 400}};
  const auto out = dir.file("t.json");
  const auto r = run_recsim({"tune", dir.write_json("s.json", doc), "--out", out, "--batches", "1,2,8", "--precision", "0.05"});
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["baseline"]["max_qps"] == 0.0);
  CHECK(j["speedup"].is_null());
  CHECK(j["best"]["max_qps"].get<double>() > 0);
  CHECK(j["best"]["ci95_qps"][0].get<double>() > 0);
  CHECK(j["gain_beyond_noise"] == true);
  CHECK(r.out.find("the static baseline (batch 8) meets the SLA at no rate: splitting is what meets it") != std::string::npos);
}

TEST_CASE("the climb walks through a plateau where nothing changed instead of stopping on it", "[tune][plateau]") {
  // Thresholds 1..4 below the smallest query all offload everything: the same capacity exactly.
  const std::map<int, double> capacity = {{1, 100}, {2, 100}, {4, 100}, {8, 130}, {16, 125}, {32, 140}};
  TuneOptions o;
  o.batch_ladder = {1000};
  o.threshold_ladder = {1, 2, 4, 8, 16, 32};
  o.baseline_batch = 1000;
  const auto r = hill_climb(o, [&](const TuneConfig& c, std::optional<double>) {
    TunePoint p;
    p.config = c;
    p.max_qps = c.gpu_threshold ? capacity.at(*c.gpu_threshold) : 50;
    p.evaluations = 1;
    return p;
  });
  // Up the plateau 1, 2, 4 to 8 (130), then 16 is worse: the climb stops there, at 8.
  REQUIRE(r.best.config.gpu_threshold);
  CHECK(*r.best.config.gpu_threshold == 8);
  CHECK(r.best.max_qps == 130);
  std::vector<int> tried;
  for (const auto& p : r.path)
    if (p.config.gpu_threshold) tried.push_back(*p.config.gpu_threshold);
  CHECK(tried == std::vector<int>{1, 2, 4, 8, 16});
}

TEST_CASE("the golden-section search finds the optimum a climb misses behind a dip", "[tune][golden]") {
  const std::map<int, double>& qps = kDipLadder;
  std::map<std::pair<int, int>, int> asked;
  const TuneOptions o = dip_ladder_options();
  const TuneResult r = tune_search("golden", o, counting([&](const TuneConfig& c) { return qps.at(c.batch_size); }, asked));
  CHECK(r.search == "golden");
  CHECK(r.climb.config.batch_size == 64);
  CHECK(r.best.config.batch_size == 64);
  CHECK(r.best.max_qps == Approx(1000.0));
  // Fewer configurations than the ladder: the bracketing skips most of it.
  CHECK(asked.size() < qps.size());
  CHECK_THROWS_AS(tune_search("simplex", o, counting([&](const TuneConfig& c) { return qps.at(c.batch_size); }, asked)),
                  std::invalid_argument);
}

TEST_CASE("the golden search goes on coordinate by coordinate and names what is within noise", "[tune][golden]") {
  // Offload best at t = 256; at that threshold the best batch size is 128 (not the CPU-only 8).
  const auto f = [](const TuneConfig& c) {
    if (!c.gpu_threshold) return 500.0 - std::abs(std::log2(c.batch_size) - 3.0) * 50.0;
    return 900.0 - std::abs(std::log2(*c.gpu_threshold) - 8.0) * 40.0 - std::abs(std::log2(c.batch_size) - 7.0) * 10.0;
  };
  std::map<std::pair<int, int>, int> asked;
  TuneOptions o;
  o.batch_ladder = default_batch_ladder();
  o.threshold_ladder = {32, 64, 128, 256, 512, 1024};
  o.baseline_batch = 1024;
  const CapacityOf base = counting(f, asked);
  // Every configuration's max load known to 1% (its standard error).
  const CapacityOf with_noise = [&](const TuneConfig& c, std::optional<double> floor) {
    TunePoint p = base(c, floor);
    p.rel_uncertainty = 0.01;
    return p;
  };
  const TuneResult r = tune_search("golden", o, with_noise);
  CHECK(r.best.config.batch_size == 128);
  REQUIRE(r.best.config.gpu_threshold);
  CHECK(*r.best.config.gpu_threshold == 256);
  CHECK(r.best.max_qps == Approx(900.0));
  // Within 1.96 x sqrt(2) x 1% of 900 (about 25 qps): batch sizes 96 and 192 (895.85 qps) at t = 256,
  // each searched in full; nothing further off.
  REQUIRE_FALSE(r.indistinguishable.empty());
  CHECK(r.indistinguishable.front().config == r.best.config);
  for (const auto& p : r.indistinguishable) CHECK(within_noise(r.best, p));
  for (const auto& p : r.indistinguishable) CHECK(p.max_qps > 900.0 - 1.96 * std::hypot(9.0, 0.01 * p.max_qps));
  // The climb, as published, keeps the CPU-only batch size for its threshold.
  asked.clear();
  const TuneResult climb = tune_search("climb", o, with_noise);
  CHECK(climb.best.config.batch_size == 8);
}
