// Failures and availability (the scenario's `failures`, sim/engine/failure_injector.h): M/M/c with
// one server removed for a known interval, the availability of servers failing independently
// (exponential and Weibull) against the product form, exact counts of queries lost and re-issued on
// a deterministic load, a rack cut off the network, and the parser's errors.
#include "sim/engine/isolated_run.h"
#include "sim/scenario/resource_estimate.h"
#include "workloads/input_error.h"
#include "support/queueing_formulas.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace recsim;
using namespace recsim::test;
using nlohmann::json;

namespace {

// `count` servers of `cores` cores, exponential 1 ms service, Poisson at `qps`, random balancing.
json fleet(int count, int cores, double qps, std::uint64_t queries) {
  return {{"format", 2},
          {"name", "failures"},
          {"seed", 3},
          {"server_kinds", {{{"name", "k"}, {"cpu_cores", cores}}}},
          {"server_groups", {{{"name", "a"}, {"kind", "k"}, {"count", count}}}},
          {"workload", {{"arrival", {{"process", "poisson"}, {"qps", qps}}}}},
          {"models",
           {{{"name", "m"},
             {"query_size", {{"distribution", "fixed"}, {"value", 1}}},
             {"service", {{"type", "exponential"}, {"mean_ms", 1.0}}},
             {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
             {"sla", {{"percentile", 95}, {"target_ms", 10}}}}}},
          {"balancer", {{"policy", "random"}}},
          {"run", {{"queries", queries}}}};
}

// Mean latency (ms) of the queries completed in the windows within [from, to).
double mean_latency(const TimeSeriesReport& s, double from, double to) {
  double sum = 0, n = 0;
  for (const auto& w : s.windows)
    if (w.start_s >= from && w.end_s <= to && w.latency_ms) {
      sum += w.latency_ms->mean * static_cast<double>(w.completed);
      n += static_cast<double>(w.completed);
    }
  return sum / n;
}

// One core, deterministic 10 ms per query, queries every 2 ms from 0 to 38 ms (a trace).
json deterministic(const TempDir& dir, int count) {
  std::string trace = "arrival_ms,size\n";
  for (int k = 0; k < 20; ++k) trace += std::to_string(2 * k) + ",1\n";
  json doc = fleet(count, 1, 1.0, 20);
  doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("t.csv", trace)}};
  doc["models"][0].erase("query_size");
  doc["models"][0]["service"] = {{"type", "deterministic"}, {"ms", 10.0}};
  doc["balancer"] = {{"policy", "round_robin"}};
  doc["run"] = json::object();
  return doc;
}

}  // namespace

TEST_CASE("failures: M/M/4 x 2 with one server down from 5 s to 15 s is M/M/4 at twice the rate meanwhile", "[failures][queueing]") {
  json doc = fleet(2, 4, 2400, 60000);
  doc["failures"] = {{"scheduled", {{{"group", "a"}, {"server", 1}, {"down_s", 5}, {"up_s", 15}}}}};
  doc["run"]["window_s"] = 0.5;
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.time_series);
  REQUIRE(r.availability);
  const TimeSeriesReport& s = *r.time_series;
  // Random routing: each server M/M/4 at 1,200 queries/s; alone, M/M/4 at 2,400 (0.1 s to settle).
  CHECK(mean_latency(s, 0.5, 5) == Approx(1e3 * mmc_mean_sojourn(4, 1200, 1000)).epsilon(0.04));
  CHECK(mean_latency(s, 5.5, 15) == Approx(1e3 * mmc_mean_sojourn(4, 2400, 1000)).epsilon(0.04));
  CHECK(mean_latency(s, 15.5, 24) == Approx(1e3 * mmc_mean_sojourn(4, 1200, 1000)).epsilon(0.04));
  for (const auto& w : s.windows) {
    INFO("window at " << w.start_s);
    if (w.start_s >= 5 && w.end_s <= 15) {
      CHECK(w.servers_up == 1.0);
      CHECK(w.groups[0].cpu_utilization == Approx(0.6).epsilon(0.08));  // 2,400 / (4 x 1,000), over the cores up
    } else if (w.end_s <= 5 || w.start_s >= 15) {
      CHECK(w.servers_up == 2.0);
    }
  }
  const AvailabilityReport& a = *r.availability;
  CHECK(a.failures == 1);
  CHECK(a.server_down_s == Approx(10.0).epsilon(1e-12));
  CHECK(a.mean_servers_up == Approx(2.0 - 10.0 / r.virtual_seconds).epsilon(1e-12));
  CHECK(a.all_up_fraction == Approx(1.0 - 10.0 / r.virtual_seconds).epsilon(1e-12));
  CHECK(a.most_down == 1);
  CHECK(a.lost == 0);  // the queries on the server when it failed were re-issued
  CHECK(a.retries >= 1);
  CHECK(a.retries < 20);
  // A re-issued query's wait and service are its serving attempt's; the time before is the retry's.
  REQUIRE(r.datacenter);
  const DatacenterResults& d = *r.datacenter;
  CHECK(d.queueing_ms >= 0.0);
  CHECK(d.retry_ms > 0.0);
  CHECK(d.network_ms + d.queueing_ms + d.service_ms + d.retry_ms == Approx(r.latency_ms->mean).epsilon(1e-6));
}

TEST_CASE("failures: servers failing at random are up mtbf/(mtbf+mttr) of the time, independently", "[failures][availability]") {
  // 4 servers, up 1 s and down 0.25 s on average: A = 0.8, all four up A^4 = 0.4096 of the time.
  for (double shape : {1.0, 2.5}) {
    INFO("Weibull shape " << shape);
    json doc = fleet(4, 1, 100, 200000);  // 2,000 s, about 1,600 failures per server
    doc["failures"] = {{"random", {{{"kind", "k"}, {"mtbf_h", 1.0 / 3600}, {"mttr_h", 0.25 / 3600}, {"shape", shape}}}},
                       {"on_failure", "lose"}};
    const RunResults r = simulate_isolated(scenario_from(doc));
    REQUIRE(r.availability);
    const AvailabilityReport& a = *r.availability;
    CHECK(a.mean_servers_up / 4 == Approx(0.8).margin(0.01));
    CHECK(a.all_up_fraction == Approx(std::pow(0.8, 4)).margin(0.02));
    CHECK(a.failures == Approx(4 * r.virtual_seconds / 1.25).epsilon(0.05));
    CHECK(a.most_down == 4);
    // A query is lost when its server fails under it, or when it finds all four down (0.2^4 of the time).
    CHECK(a.lost > 0);
    CHECK(a.within_sla < 1.0);
    REQUIRE(a.query_nines);
    CHECK(*a.query_nines == Approx(-std::log10(1.0 - a.within_sla)).epsilon(1e-12));
  }
}

TEST_CASE("failures: the queries a failure catches are lost or re-issued, exactly", "[failures]") {
  TempDir dir;
  SECTION("one of two servers fails at 15 ms: the three queries on it are lost") {
    // Round robin: the second server gets the queries at 2, 6, 10, 14 ms; at 15 ms the one at 6 ms
    // is in service (12 to 22 ms) and those at 10 and 14 wait; the one at 2 ms is done.
    json doc = deterministic(dir, 2);
    doc["failures"] = {{"scheduled", {{{"group", "a"}, {"server", 1}, {"down_s", 0.015}}}}, {"on_failure", "lose"}};
    const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
    REQUIRE(r.availability);
    CHECK(r.availability->lost == 3);
    CHECK(r.availability->retries == 0);
    CHECK(r.completed == 17);
    // Only the first query of each server, served at once in exactly the 10 ms target, is within it.
    CHECK(r.availability->within_sla == Approx(2.0 / 20).epsilon(1e-12));
  }
  SECTION("... or re-issued to the other server") {
    json doc = deterministic(dir, 2);
    doc["failures"] = {{"scheduled", {{{"group", "a"}, {"server", 1}, {"down_s", 0.015}}}}, {"retry_timeout_ms", 5}};
    const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
    CHECK(r.availability->lost == 0);
    CHECK(r.availability->retries == 3);
    CHECK(r.completed == 20);
  }
  SECTION("a lone server down from 5 ms: every query is re-issued once into the outage, then lost") {
    json doc = deterministic(dir, 1);
    doc["failures"] = {{"scheduled", {{{"group", "a"}, {"server", 0}, {"down_s", 0.005}, {"up_s", 0.1}}}},
                       {"retry_timeout_ms", 30},
                       {"max_retries", 1}};
    doc["run"]["window_s"] = 0.01;
    const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
    // Caught at 5 ms (the one in service since 0 and the two waiting) or finding it down on arrival
    // (the 17 from 6 ms): re-issued 30 ms later, still down, lost.
    CHECK(r.completed == 0);
    CHECK(r.availability->lost == 20);
    CHECK(r.availability->retries == 20);
    REQUIRE(r.time_series);
    std::uint64_t lost = 0, retried = 0;
    for (const auto& w : r.time_series->windows) {
      lost += w.lost;
      retried += w.retried;
    }
    CHECK(lost == 20);
    CHECK(retried == 20);
    CHECK(r.time_series->windows.back().in_system == 0);
    CHECK(r.time_series->windows[1].servers_up == 0.0);  // [10, 20) ms
  }
}

TEST_CASE("failures: a rack cut off the network leaves its servers powered and idle", "[failures][network]") {
  json doc = fleet(4, 2, 400, 8000);  // 20 s
  doc["server_kinds"][0]["power"] = {{"cpu_idle_w", 100}, {"cpu_busy_w", 300}, {"other_w", 50}, {"source", "test figures"}};
  doc["network"] = {{"servers_per_rack", 2},
                    {"server_link", {{"gb_per_s", 10.0}, {"latency_us", 5}}},
                    {"rack_uplink", {{"gb_per_s", 40.0}, {"latency_us", 5}}},
                    {"request_bytes", {{"base", 1000}, {"per_item", 0}}},
                    {"response_bytes", {{"base", 100}, {"per_item", 0}}}};
  doc["failures"] = {{"scheduled", {{{"group", "a"}, {"rack", 1}, {"down_s", 5}, {"up_s", 10}}}}};
  doc["run"]["window_s"] = 1.0;
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.time_series);
  const auto& w = r.time_series->windows[7];  // [7, 8) s
  CHECK(w.servers_up == 2.0);
  const WindowGroup& g = w.groups[0];
  CHECK(*g.power_w == Approx(2 * (50 + 100 + 200 * g.cpu_utilization) + 2 * (50 + 100)).epsilon(1e-9));
  CHECK(g.cpu_utilization == Approx(400.0 / (2 * 2 * 1000)).epsilon(0.15));
  CHECK(r.time_series->windows[12].servers_up == 4.0);
  CHECK(r.availability->failures == 2);
  CHECK(r.availability->server_down_s == Approx(10.0).epsilon(1e-12));
}

TEST_CASE("failures: invalid failures name their key", "[failures][errors]") {
  json doc = fleet(2, 1, 100, 100);
  const auto error_with = [&](const json& failures) {
    json d = doc;
    d["failures"] = failures;
    return scenario_error(d);
  };
  CHECK(error_with({{"scheduled", {{{"group", "b"}, {"down_s", 1}}}}}) == "failures.scheduled.0.group: no server group \"b\" (groups: \"a\")");
  CHECK(error_with({{"scheduled", {{{"group", "a"}, {"server", 2}, {"down_s", 1}}}}}) ==
        "failures.scheduled.0.server: group \"a\" has 2 servers (indices 0 to 1)");
  CHECK(error_with({{"scheduled", {{{"group", "a"}, {"rack", 0}, {"down_s", 1}}}}}) == "failures.scheduled.0.rack: racks exist only with a `network`");
  CHECK(error_with({{"scheduled", {{{"group", "a"}, {"down_s", 2}, {"up_s", 1}}}}}).rfind("failures.scheduled.0.up_s: expected a time after down_s", 0) == 0);
  CHECK(error_with({{"random", {{{"kind", "x"}, {"mtbf_h", 1}, {"mttr_h", 1}}}}}) == "failures.random.0.kind: no server kind \"x\" (kinds: \"k\")");
  CHECK(error_with({{"random", {{{"kind", "k"}, {"mtbf_h", 0}, {"mttr_h", 1}}}}}).rfind("failures.random.0.mtbf_h: expected a number", 0) == 0);
  CHECK(error_with({{"on_failure", "drop"}}).rfind("failures.on_failure: expected one of", 0) == 0);
  CHECK(error_with({{"retries", 2}}).rfind("failures.retries: unknown key", 0) == 0);
  // Format 1 names its groups and kinds after platform.servers.N.name.
  json v1 = mmc_document(2, 100, 1.0, 100, 0);
  v1["failures"] = {{"scheduled", {{{"group", "server"}, {"down_s", 1}}}}, {"random", {{{"kind", "server"}, {"mtbf_h", 1}, {"mttr_h", 1}}}}};
  CHECK(scenario_error(v1) == "valid");
}

TEST_CASE("failures: scheduled failures count in the resource estimate, and too many are refused naming them", "[failures][limits]") {
  json doc = fleet(10, 1, 100, 1000);
  json scheduled = json::array();
  scheduled.push_back({{"group", "a"}, {"down_s", 1}, {"up_s", 2}});                 // 10 servers down and up: 20
  scheduled.push_back({{"group", "a"}, {"server", 3}, {"down_s", 3}});               // one server, never back: 1
  scheduled.push_back({{"group", "a"}, {"server", 4}, {"down_s", 3}, {"up_s", 4}});  // 2
  doc["failures"] = {{"scheduled", scheduled}};
  CHECK(estimate_resources(scenario_from(doc)).scheduled_failure_events == 23.0);
  // 100,000 servers taken down and up 5,001 times: over a billion events.
  json many = fleet(100000, 1, 100, 1000);
  json outages = json::array();
  for (int i = 0; i < 5001; ++i) outages.push_back({{"group", "a"}, {"down_s", 1.0 + i}, {"up_s", 1.5 + i}});
  many["failures"] = {{"scheduled", outages}};
  const Scenario s = scenario_from(many);
  CHECK(estimate_resources(s).scheduled_failure_events == 2.0 * 100000 * 5001);
  try {
    check_resources(s, false);
    FAIL("not refused");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("failures.scheduled: the run would process about 1e+09 periodic events", 0) == 0);
  }
  CHECK_NOTHROW(check_resources(s, true));
}
