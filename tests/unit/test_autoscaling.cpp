// Autoscaling (the scenario's `autoscaling`, sim/engine/autoscaler.h): a schedule's servers and
// server-hours exactly, a target-utilisation policy settling at ceil(work / target) on a steady
// load, the energy it reports equal to the time series' power integrated over the run, and the
// parser's errors.
#include "sim/engine/isolated_run.h"
#include "sim/scenario/resource_estimate.h"
#include "support/scenarios.h"
#include "workloads/input_error.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace recsim;
using namespace recsim::test;
using nlohmann::json;

namespace {

// `count` one-core servers with a power model and a cost, exponential 1 ms service, Poisson at `qps`.
json fleet(int count, double qps, std::uint64_t queries) {
  return {{"format", 2},
          {"name", "autoscaling"},
          {"seed", 4},
          {"server_kinds",
           {{{"name", "k"},
             {"cpu_cores", 1},
             {"cost_per_hour", 2.0},
             {"power", {{"cpu_idle_w", 100}, {"cpu_busy_w", 200}, {"other_w", 50}, {"source", "test figures"}}}}}},
          {"server_groups", {{{"name", "a"}, {"kind", "k"}, {"count", count}}}},
          {"workload", {{"arrival", {{"process", "poisson"}, {"qps", qps}}}}},
          {"models",
           {{{"name", "m"},
             {"query_size", {{"distribution", "fixed"}, {"value", 1}}},
             {"service", {{"type", "exponential"}, {"mean_ms", 1.0}}},
             {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
             {"sla", {{"percentile", 95}, {"target_ms", 50}}}}}},
          {"balancer", {{"policy", "least_loaded"}}},
          {"run", {{"queries", queries}, {"window_s", 1.0}}}};
}

}  // namespace

TEST_CASE("autoscaling: a schedule's servers through time and its server-hours", "[autoscaling]") {
  json doc = fleet(4, 20, 200);  // about 10 s at 20 queries/s
  doc["autoscaling"] = {{"policy", "schedule"},
                        {"interval_s", 1},
                        {"startup_s", 1},
                        {"groups", {{{"group", "a"}, {"min", 1}, {"initial", 4}}}},
                        {"steps", {{{"group", "a"}, {"at_s", 0}, {"servers", 2}}, {{"group", "a"}, {"at_s", 4.5}, {"servers", 4}}}}};
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.time_series);
  REQUIRE(r.autoscaling);
  const auto& w = r.time_series->windows;
  // Four until the first decision at 1 s, then two (the other two drain in at most a request's
  // time); the step at 4.5 s is taken at 5 s: two servers boot for 1 s and serve from 6 s.
  CHECK(w[0].servers_up == 4.0);
  CHECK(w[2].servers_up == 2.0);
  CHECK(w[4].servers_up == 2.0);
  CHECK(w[5].servers_up == 2.0);  // booting: powered, not serving
  CHECK(w[6].servers_up == 4.0);
  CHECK(*w[5].power_w == Approx(2 * (150 + 100 * w[5].cpu_utilization) + 2 * 150).epsilon(1e-9));
  const AutoscalingReport& a = *r.autoscaling;
  const double end = r.virtual_seconds;
  CHECK(a.server_hours == Approx((4 * 1 + 2 * 4 + 4 * (end - 5)) / 3600).epsilon(2e-3));
  CHECK(a.peak_server_hours == Approx(4 * end / 3600).epsilon(1e-12));
  CHECK(*a.cost == Approx(2 * a.server_hours).epsilon(1e-12));
  CHECK(*a.peak_cost == Approx(2 * a.peak_server_hours).epsilon(1e-12));
  REQUIRE(a.groups.size() == 1);
  CHECK(a.groups[0].scale_ins == 2);
  CHECK(a.groups[0].scale_outs == 2);
}

TEST_CASE("autoscaling: target utilisation settles at ceil(work / target), and its energy is the time series' power over the run",
          "[autoscaling][energy]") {
  // 2,700 queries/s of 1 ms: 2.7 servers' worth of work; at a target of 0.5, ceil(5.4) = 6 servers.
  json doc = fleet(10, 2700, 108000);  // 40 s
  doc["autoscaling"] = {{"policy", "target_utilization"},
                        {"target", 0.5},
                        {"scale_down_delay_s", 0},
                        {"interval_s", 5},
                        {"startup_s", 2},
                        {"groups", {{{"group", "a"}, {"min", 1}}}}};
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.time_series);
  REQUIRE(r.autoscaling);
  const auto& w = r.time_series->windows;
  CHECK(w[2].servers_up == 10.0);  // until the first decision at 5 s
  for (std::size_t k = 6; k + 1 < w.size(); ++k) {
    INFO("window " << k);
    CHECK(w[k].servers_up == 6.0);
    CHECK(w[k].groups[0].cpu_utilization == Approx(2.7 / 6).epsilon(0.1));
  }
  double energy_j = 0;
  for (const auto& x : w) energy_j += *x.power_w * (x.end_s - x.start_s);
  const AutoscalingReport& a = *r.autoscaling;
  CHECK(*a.energy_kwh == Approx(energy_j / 3.6e6).epsilon(1e-9));
  // The fleet at its maximum does the same work with four more servers idling from 5 s on.
  CHECK(*a.peak_energy_kwh - *a.energy_kwh == Approx(150.0 * 3600 * (a.peak_server_hours - a.server_hours) / 3.6e6).epsilon(1e-9));
  CHECK(a.groups[0].mean_servers == Approx(6 + 4 * 5 / r.virtual_seconds).epsilon(1e-3));
}

TEST_CASE("autoscaling: invalid autoscaling names its key", "[autoscaling][errors]") {
  const auto error_with = [](const json& autoscaling) {
    json d = fleet(4, 100, 100);
    d["autoscaling"] = autoscaling;
    return scenario_error(d);
  };
  const json group = {{"group", "a"}};
  CHECK(error_with({{"policy", "guess"}, {"groups", {group}}}).rfind("autoscaling.policy: expected one of", 0) == 0);
  CHECK(error_with({{"policy", "target_utilization"}, {"target", 0.5}, {"groups", json::array()}}) == "autoscaling.groups: expected at least one group");
  CHECK(error_with({{"policy", "target_utilization"}, {"target", 0.5}, {"groups", {{{"group", "b"}}}}}) == "autoscaling.groups.0.group: no server group \"b\"");
  CHECK(error_with({{"policy", "target_utilization"}, {"target", 0.5}, {"groups", {{{"group", "a"}, {"max", 5}}}}}) ==
        "autoscaling.groups.0.max: group \"a\" has only 4 servers");
  CHECK(error_with({{"policy", "target_utilization"}, {"target", 0.5}, {"groups", {{{"group", "a"}, {"min", 2}, {"initial", 1}}}}}) ==
        "autoscaling.groups.0.initial: expected a number in [2, 4]");
  CHECK(error_with({{"policy", "target_utilization"}, {"groups", {group}}}) == "autoscaling.target: required key is missing");
  CHECK(error_with({{"policy", "schedule"}, {"groups", {group}}, {"steps", {{{"group", "c"}, {"at_s", 0}, {"servers", 1}}}}}) ==
        "autoscaling.steps.0.group: \"c\" is not a group in autoscaling.groups");
  CHECK(error_with({{"policy", "schedule"}, {"groups", {group}}, {"target", 0.5}, {"steps", json::array()}}) ==
        "autoscaling.target: unknown key");
}

TEST_CASE("autoscaling: queries on their way to a server that drains still reach it, and it powers off after them",
          "[autoscaling][network]") {
  // Half a millisecond each way at 2,000 queries/s: about one query on the wire at any time, so scale-ins
  // catch queries on their way to the servers they drain.
  json doc = fleet(8, 2000, 20000);
  doc["network"] = {{"servers_per_rack", 4},
                    {"server_link", {{"gb_per_s", 1.0}, {"latency_us", 250}}},
                    {"rack_uplink", {{"gb_per_s", 10.0}, {"latency_us", 250}}},
                    {"request_bytes", {{"base", 1000}, {"per_item", 0}}},
                    {"response_bytes", {{"base", 100}, {"per_item", 0}}}};
  doc["balancer"] = {{"policy", "round_robin"}};
  json steps = json::array();
  for (int k = 0; k < 10; ++k) steps.push_back({{"group", "a"}, {"at_s", k}, {"servers", k % 2 ? 8 : 2}});
  doc["autoscaling"] = {{"policy", "schedule"}, {"interval_s", 0.5}, {"startup_s", 0.1},
                        {"groups", {{{"group", "a"}, {"min", 1}}}}, {"steps", steps}};
  const RunResults r = simulate_isolated(scenario_from(doc));
  CHECK(r.completed == 20000);
  CHECK_FALSE(r.saturated);
  REQUIRE(r.autoscaling);
  CHECK(r.autoscaling->groups[0].scale_ins >= 20);
}

TEST_CASE("autoscaling: decisions too close together for the run are refused before it", "[autoscaling][errors]") {
  json doc = fleet(4, 100, 1000);  // 10 s
  doc["autoscaling"] = {{"policy", "target_utilization"}, {"target", 0.5}, {"interval_s", 1e-9}, {"groups", {{{"group", "a"}}}}};
  const Scenario s = scenario_from(doc);
  try {
    check_resources(s, false);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("autoscaling.interval_s: the run would process about 1e+10 periodic events", 0) == 0);
  }
  doc["autoscaling"]["interval_s"] = 1e-12;
  try {
    check_resources(scenario_from(doc), true);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("autoscaling.interval_s: the run's 10 virtual seconds would hold 1e+13 periods", 0) == 0);
  }
}
