// The deeprecsched-online policy: the climber's arrival-rate controller and moves on a synthetic
// system whose capacities are known, and a whole run on a scenario whose best batch size is known.
#include "sim/engine/isolated_run.h"
#include "sim/scheduling/online_hill_climber.h"
#include "support/scenarios.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <functional>
#include <map>

using namespace recsim;
using namespace recsim::test;

namespace {

// A synthetic system: a query's latency is twice the target when it arrives faster than the current
// configuration's capacity, half the target otherwise. Drives the climber until it finishes.
void drive(OnlineHillClimber& climber, const std::function<double(const TuneConfig&)>& capacity, double target,
           int* queries = nullptr) {
  double now = 0.0;
  int n = 0;
  while (!climber.finished() && n < 10'000'000) {
    if (climber.draining()) {
      climber.drained(now);
      continue;
    }
    now += climber.gap_seconds();
    const bool over = 1.0 / climber.gap_seconds() > capacity(climber.config());
    climber.complete(now, over ? 2 * target : target / 2);
    ++n;
  }
  if (queries) *queries = n;
}

OnlineClimbOptions options(std::vector<int> batches, std::vector<int> thresholds = {}) {
  OnlineClimbOptions o;
  o.spec.batches = std::move(batches);
  o.spec.thresholds = std::move(thresholds);
  o.spec.min_qps = 50;
  o.spec.max_qps = 2000;
  o.target_seconds = 0.010;
  o.start_qps = 300;
  return o;
}

}  // namespace

TEST_CASE("nearest-rank percentile is exact", "[online]") {
  std::vector<double> v;
  for (int i = 64; i >= 1; --i) v.push_back(i);
  CHECK(nearest_rank_percentile(v, 95) == 61);  // ceil(0.95 * 64) = 61
  CHECK(nearest_rank_percentile(v, 50) == 32);
  CHECK(nearest_rank_percentile(v, 100) == 64);
  std::vector<double> one{7.0};
  CHECK(nearest_rank_percentile(one, 1) == 7.0);
}

TEST_CASE("the online controller settles at each configuration's capacity, within one gap step", "[online]") {
  // Capacities over b: up to b = 4, then down: the climb stops at 8 and keeps 4 (not 16, higher still:
  // hill climbing as published stops at the first decrease).
  const std::map<int, double> cap = {{1, 100}, {2, 200}, {4, 300}, {8, 250}, {16, 400}};
  OnlineHillClimber climber(options({1, 2, 4, 8, 16}));
  int queries = 0;
  drive(climber, [&](const TuneConfig& c) { return cap.at(c.batch_size); }, 0.010, &queries);
  REQUIRE(climber.finished());
  const double step = std::pow(2000.0 / 50.0, 1.0 / 49);  // the gap ladder's ratio
  const auto& steps = climber.steps();
  REQUIRE(steps.size() == 4);
  for (const auto& s : steps) {
    CAPTURE(s.config.batch_size);
    CHECK(s.phase == "batch");
    CHECK_FALSE(s.at_limit);
    // The controller holds just below the capacity: met there, missed one step faster.
    CHECK(s.max_qps <= cap.at(s.config.batch_size) * (1 + 1e-9));
    CHECK(s.max_qps * step > cap.at(s.config.batch_size));
  }
  CHECK(steps.back().config.batch_size == 8);
  CHECK(climber.config() == TuneConfig{4, std::nullopt});
  // 128 updates of 64 queries per configuration.
  CHECK(queries == 4 * 128 * 64);
}

TEST_CASE("the online climb tunes the offload threshold after the batch size", "[online]") {
  // Best b = 2 without offload (250 qps); with b = 2, t = 32 gives 600, t = 64 less: the result is (2, 32).
  const auto cap = [](const TuneConfig& c) {
    if (!c.gpu_threshold) return c.batch_size == 1 ? 150.0 : c.batch_size == 2 ? 250.0 : 200.0;
    const std::map<int, double> t = {{8, 180}, {16, 400}, {32, 600}, {64, 500}, {128, 700}};
    return t.at(*c.gpu_threshold);
  };
  OnlineHillClimber climber(options({1, 2, 4}, {8, 16, 32, 64, 128}));
  drive(climber, cap, 0.010);
  REQUIRE(climber.finished());
  CHECK(climber.config() == TuneConfig{2, 32});
  const auto& steps = climber.steps();
  REQUIRE(steps.size() == 3 + 4);
  CHECK(steps[3].phase == "threshold");
  CHECK(steps[3].config == TuneConfig{2, 8});
  // When no threshold beats the best batch size alone, offload stays off.
  OnlineHillClimber none(options({1, 2, 4}, {8, 16}));
  drive(none, [](const TuneConfig& c) { return c.gpu_threshold ? 100.0 : c.batch_size * 100.0; }, 0.010);
  CHECK(none.config() == TuneConfig{4, std::nullopt});
}

TEST_CASE("the online controller's range limits are reported", "[online]") {
  OnlineHillClimber climber(options({1, 2}));
  drive(climber, [](const TuneConfig&) { return 1e9; }, 0.010);
  REQUIRE(climber.steps().size() == 2);
  CHECK(climber.steps()[0].at_limit);
  CHECK(climber.steps()[0].max_qps == Approx(2000.0));
  CHECK(climber.config().batch_size == 1);  // equal loads: no strict improvement, the first is kept
}

TEST_CASE("deeprecsched-online in a run: lands on the known best batch size, then measures the service", "[online][engine]") {
  // Queries of 64 items on 8 cores; a request of b items takes t(b) ms, cheap per item up to b = 8
  // and dearer beyond: the work per query, ceil(64 / b) * t(b), is least at b = 8 (4.8 ms, 1,667 qps
  // on 8 cores), against 8.8 ms at b = 4 and 6.4 ms at b = 16.
  auto doc = mmc_document(8, 1000.0, 1.0, 150000, 1000);
  doc["workload"]["query_size"] = {{"distribution", "fixed"}, {"value", 64}};
  doc["service"] = {{"type", "table"},
                    {"points", {{{"batch", 1}, {"ms", 0.5}}, {{"batch", 8}, {"ms", 0.6}}, {{"batch", 16}, {"ms", 1.6}},
                                {{"batch", 32}, {"ms", 3.7}}}}};
  doc["scheduler"] = {{"policy", "deeprecsched-online"}, {"online", {{"batches", {2, 4, 8, 16, 32}}}}};
  doc["sla"] = {{"percentile", 95}, {"target_ms", 5}};
  const auto r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.online.has_value());
  const auto& o = *r.online;
  REQUIRE(o.finished);
  CHECK(o.batch_size == 8);
  CHECK_FALSE(o.gpu_threshold.has_value());
  REQUIRE(o.steps.size() == 4);  // 2, 4, 8, then 16 (lower)
  CHECK(o.steps[2].max_qps > o.steps[1].max_qps);
  CHECK(o.steps[3].max_qps < o.steps[2].max_qps);
  // b = 8's estimate is below its saturation point (1,667 qps) and within a fifth of it.
  CHECK(o.steps[2].max_qps < 1667);
  CHECK(o.steps[2].max_qps > 0.8 * 1667);
  // The tuning queries are not measured: measurement starts after the climb, at the scenario's rate.
  CHECK(r.measured == 150000 - o.climb_queries);
  CHECK(r.throughput_qps == Approx(1000).epsilon(0.03));
  CHECK(r.sla_met);
  // Deterministic.
  const auto again = simulate_isolated(scenario_from(doc));
  CHECK(again.online->climb_queries == o.climb_queries);
  CHECK(*again.sla_observed_ms == *r.sla_observed_ms);
}

TEST_CASE("deeprecsched-online's keys are checked", "[online][scenario]") {
  auto doc = mmc_document(2, 1000.0, 1.0, 1000, 0);
  doc["scheduler"] = {{"policy", "deeprecsched-online"}, {"batch_size", 4}};
  CHECK(scenario_error(doc) ==
        "scheduler.batch_size: the \"deeprecsched-online\" policy climbs it: give its ladder in scheduler.online instead");
  doc["scheduler"] = {{"policy", "deeprecsched-online"}, {"online", {{"batches", {4, 2}}}}};
  CHECK(scenario_error(doc) == "scheduler.online.batches.1: expected values in increasing order, got 2 after 4");
  doc["scheduler"] = {{"policy", "deeprecsched-online"}, {"online", {{"thresholds", {64}}}}};
  CHECK(scenario_error(doc) ==
        "scheduler.online.thresholds: offload thresholds need servers with GPUs and service.gpu_profile");
  doc["scheduler"] = {{"policy", "deeprecsched-online"}, {"online", {{"min_qps", 500}, {"max_qps", 400}}}};
  CHECK(scenario_error(doc) == "scheduler.online.max_qps: expected more than min_qps (500.000000)");
  doc["scheduler"] = {{"policy", "deeprecsched-online"}, {"online", {{"update_quries", 5}}}};
  CHECK(scenario_error(doc).rfind("scheduler.online.update_quries:", 0) == 0);
  doc["scheduler"] = {{"policy", "static"}, {"batch_size", 4}, {"online", nlohmann::json::object()}};
  CHECK(scenario_error(doc) == "scheduler.online: only the \"deeprecsched-online\" policy climbs online");
  doc["scheduler"] = {{"policy", "deeprecsched-online"}};
  CHECK(scenario_error(doc) == "valid");
}
