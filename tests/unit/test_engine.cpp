// The engine's mechanics on small, exactly predictable runs: splitting into requests, completion
// with the last request, FIFO on shared cores, table service times, warm-up, saturation, traces.
#include "sim/engine/isolated_run.h"
#include "sim/metrics/results_json.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace recsim;
using namespace recsim::test;

namespace {

// One server of `cores` cores replaying `trace` (arrival_ms,size rows), deterministic service.
nlohmann::json trace_document(const std::string& trace_path, int cores, int batch, double ms) {
  auto doc = mmc_document(cores, 1.0, 1.0, 1, 0);
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", trace_path}}}};
  doc["service"] = {{"type", "deterministic"}, {"ms", ms}};
  doc["scheduler"]["batch_size"] = batch;
  doc["run"] = nlohmann::json::object();
  return doc;
}

}  // namespace

TEST_CASE("a query of size s with batch b becomes ceil(s/b) requests and completes with its last", "[engine][split]") {
  TempDir dir;
  // Queries far apart, so each runs alone: size 10 with batch 3 -> 4 requests of 1 ms.
  const auto trace = dir.write("t.csv", "arrival_ms,size\n0,10\n100,10\n200,10\n");
  SECTION("enough cores: the requests run in parallel, latency = one service time") {
    const auto r = simulate_isolated(scenario_from(trace_document(trace, 8, 3, 1.0)));
    CHECK(r.requests_simulated == 12);
    CHECK(r.completed == 3);
    CHECK(r.latency_ms->max == Approx(1.0).epsilon(1e-3));
    CHECK(r.latency_ms->p50 == Approx(1.0).epsilon(1e-3));
  }
  SECTION("two cores: four requests take two rounds") {
    const auto r = simulate_isolated(scenario_from(trace_document(trace, 2, 3, 1.0)));
    CHECK(r.requests_simulated == 12);
    CHECK(r.latency_ms->mean == Approx(2.0).epsilon(1e-3));
  }
  SECTION("one core: the query waits for all four") {
    const auto r = simulate_isolated(scenario_from(trace_document(trace, 1, 3, 1.0)));
    CHECK(r.latency_ms->mean == Approx(4.0).epsilon(1e-3));
  }
  SECTION("batch >= size: one request per query (no splitting)") {
    const auto r = simulate_isolated(scenario_from(trace_document(trace, 8, 64, 1.0)));
    CHECK(r.requests_simulated == 3);
  }
}

TEST_CASE("table service: each request's time comes from its own item count", "[engine][table]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,10\n");
  auto doc = trace_document(trace, 1, 3, 1.0);
  // 1 ms per item: requests of 3, 3, 3 and 1 items on one core finish at 3, 6, 9, 10 ms.
  doc["service"] = {{"type", "table"}, {"points", {{{"batch", 1}, {"ms", 1.0}}, {{"batch", 4}, {"ms", 4.0}}}}};
  const auto r = simulate_isolated(scenario_from(doc));
  CHECK(r.latency_ms->max == Approx(10.0).epsilon(1e-3));
  doc["platform"]["servers"][0]["cpu_cores"] = 4;  // in parallel: the slowest request, 3 ms
  CHECK(simulate_isolated(scenario_from(doc)).latency_ms->max == Approx(3.0).epsilon(1e-3));
}

TEST_CASE("shared FIFO queue: queries queue behind earlier ones in arrival order", "[engine][fifo]") {
  TempDir dir;
  // Three single-request queries at t = 0, 0.5, 1 ms on one core of 2 ms service: they finish at 2, 4,
  // 6 ms, so latencies are 2, 3.5 and 5 ms; the 2nd and 3rd waited.
  const auto trace = dir.write("t.csv", "0,1\n0.5,1\n1,1\n");
  const auto r = simulate_isolated(scenario_from(trace_document(trace, 1, 1, 2.0)));
  CHECK(r.latency_ms->max == Approx(5.0).epsilon(1e-3));
  CHECK(r.latency_ms->mean == Approx((2.0 + 3.5 + 5.0) / 3).epsilon(1e-3));
  CHECK(r.waited_fraction == Approx(2.0 / 3.0));
  CHECK(r.mean_wait_ms == Approx((0.0 + 1.5 + 3.0) / 3).epsilon(1e-3));
}

TEST_CASE("warm-up queries are excluded from the statistics", "[engine][warmup]") {
  TempDir dir;
  // The first query (alone, 1 ms) is warm-up; the two measured ones arrive together on one core.
  const auto trace = dir.write("t.csv", "0,1\n10,1\n10,1\n");
  auto doc = trace_document(trace, 1, 1, 1.0);
  doc["run"]["warmup_queries"] = 1;
  const auto r = simulate_isolated(scenario_from(doc));
  CHECK(r.completed == 3);
  CHECK(r.measured == 2);
  CHECK(r.latency_ms->mean == Approx(1.5).epsilon(1e-3));
  // Window from the first measured arrival (10 ms) to the last completion (12 ms): 2 queries in 2 ms.
  CHECK(r.throughput_qps == Approx(1000.0).epsilon(1e-3));
  CHECK(r.cpu_utilization == Approx(1.0).epsilon(1e-3));
}

TEST_CASE("several servers: load balancing spreads queries", "[engine][servers]") {
  auto doc = mmc_document(2, 3000.0, 1.0, 60000, 5000);
  doc["platform"]["servers"] = {{{"name", "a"}, {"count", 2}, {"cpu_cores", 2}}};
  const auto policy = GENERATE(as<std::string>{}, "least_loaded", "round_robin");
  doc["scheduler"]["server_selection"] = policy;
  const auto r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.servers.size() == 2);
  CHECK(r.servers[0].name == "a-0");
  CHECK(r.servers[1].name == "a-1");
  CHECK(r.servers[0].cpu == Approx(0.75).epsilon(0.03));
  CHECK(r.servers[1].cpu == Approx(0.75).epsilon(0.03));
  CHECK(r.servers[0].cores.size() == 2);
}

TEST_CASE("mixed server groups: round robin splits queries evenly, least loaded by load per core", "[engine][servers]") {
  // A 1-core and a 3-core server at 1,500 queries/s of 1 ms: round robin gives each half the
  // queries, so utilisations of exactly 0.75 and 0.25; least loaded (outstanding requests per core)
  // moves work to the 3-core server: the 1-core one far below 0.75, and lower mean latency.
  auto doc = mmc_document(4, 1500.0, 1.0, 60000, 5000);
  doc["platform"]["servers"] = {{{"name", "small"}, {"count", 1}, {"cpu_cores", 1}},
                                {{"name", "large"}, {"count", 1}, {"cpu_cores", 3}}};
  doc["scheduler"]["server_selection"] = "round_robin";
  const auto rr = simulate_isolated(scenario_from(doc));
  REQUIRE(rr.servers.size() == 2);
  CHECK(rr.servers[0].name == "small-0");
  CHECK(rr.servers[0].cores.size() == 1);
  CHECK(rr.servers[1].cores.size() == 3);
  CHECK(rr.servers[0].cpu == Approx(0.75).epsilon(0.03));
  CHECK(rr.servers[1].cpu == Approx(0.25).epsilon(0.03));
  doc["scheduler"]["server_selection"] = "least_loaded";
  const auto ll = simulate_isolated(scenario_from(doc));
  CHECK(ll.servers[0].cpu < 0.65);
  CHECK(ll.servers[1].cpu > 0.29);
  // Both carry the same total work.
  CHECK(ll.cpu_utilization == Approx(rr.cpu_utilization).epsilon(0.03));
  CHECK(ll.latency_ms->mean < 0.8 * rr.latency_ms->mean);
}

TEST_CASE("same scenario and seed give identical results, another seed does not", "[engine][determinism]") {
  auto doc = mmc_document(4, 3000.0, 1.0, 30000, 1000);
  doc["workload"]["query_size"] = {{"distribution", "lognormal"}, {"mu", 2.0}, {"sigma", 0.5}, {"max", 100}};
  doc["scheduler"]["batch_size"] = 4;
  auto strip = [](RunResults r) {
    r.wall_seconds = 0;
    return results_to_json(r).dump();
  };
  const auto a = strip(simulate_isolated(scenario_from(doc)));
  const auto b = strip(simulate_isolated(scenario_from(doc)));
  CHECK(a == b);
  doc["seed"] = 12;
  CHECK(strip(simulate_isolated(scenario_from(doc))) != a);
}

TEST_CASE("common random numbers: a higher rate never lowers latency percentiles", "[engine][crn]") {
  // Same seed, same gaps scaled by 1/qps, same sizes and service draws: queueing only grows.
  double previous = 0.0;
  for (double qps : {2000.0, 2800.0, 3400.0}) {
    const auto r = simulate_isolated(scenario_from(mmc_document(4, qps, 1.0, 50000, 2000)));
    CHECK(r.latency_ms->p95 >= previous);
    previous = r.latency_ms->p95;
  }
}

TEST_CASE("saturation: an overloaded system stops early and says so", "[engine][saturation]") {
  SECTION("far over capacity: stops at the in-flight bound, long before all queries arrive") {
    auto doc = mmc_document(2, 4000.0, 1.0, 10000000, 1000);  // offered load 2.0, 10M queries
    doc["run"]["max_in_flight"] = 5000;
    const auto r = simulate_isolated(scenario_from(doc));
    CHECK(r.saturated);
    CHECK(r.arrived < 20000);
    CHECK_FALSE(r.sla_met);
    CHECK(r.saturation_reason.find("max_in_flight") != std::string::npos);
  }
  SECTION("slightly over capacity: the offered-load estimate flags it") {
    const auto r = simulate_isolated(scenario_from(mmc_document(2, 2100.0, 1.0, 50000, 1000)));
    CHECK(r.saturated);
    CHECK(r.servers[0].offered == Approx(1.05).epsilon(0.03));
    CHECK(r.saturation_reason.find("offered load") != std::string::npos);
  }
  SECTION("below capacity: not saturated") {
    const auto r = simulate_isolated(scenario_from(mmc_document(2, 1600.0, 1.0, 50000, 1000)));
    CHECK_FALSE(r.saturated);
  }
}

TEST_CASE("empirical query sizes drive the request count", "[engine][empirical]") {
  TempDir dir;
  dir.write("sizes.csv", "size,weight\n4,1\n8,1\n");
  auto doc = mmc_document(8, 100.0, 1.0, 20000, 0);
  doc["workload"]["query_size"] = {{"distribution", "empirical"}, {"file", "sizes.csv"}};
  doc["scheduler"]["batch_size"] = 4;
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  // Half the queries make 1 request, half make 2: 1.5 per query on average.
  CHECK(static_cast<double>(r.requests_simulated) / r.completed == Approx(1.5).epsilon(0.02));
}
