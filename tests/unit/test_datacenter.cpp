// Format 2, the datacenter: exact results where a closed form exists (network time on an idle
// system, energy on a deterministic load, weighted shares), the verdict of each co-located model
// against its own SLA, placement, GPUs that belong to their server, and errors that name their path.
#include "sim/engine/isolated_run.h"
#include "sim/metrics/results_json.h"
#include "support/gpu_scenarios.h"
#include "support/build_paths.h"
#include "support/fleet_results.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace recsim;
using namespace recsim::test;
using nlohmann::json;

namespace {

json deterministic(double ms) { return {{"type", "deterministic"}, {"ms", ms}}; }

json model(const std::string& name, const json& service, double target_ms, double share = 1.0) {
  return {{"name", name},
          {"share", share},
          {"query_size", {{"distribution", "fixed"}, {"value", 1}}},
          {"service", service},
          {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
          {"sla", {{"percentile", 95}, {"target_ms", target_ms}}}};
}

// One kind of `cores` cores, one group of `count` servers, the given models, Poisson at `qps`.
json dc_document(int cores, int count, json models, double qps, std::uint64_t queries, std::uint64_t warmup) {
  if (models.is_object()) models = json::array({models});  // brace-initialised from one model
  return {{"format", 2},
          {"name", "dc"},
          {"seed", 5},
          {"server_kinds", {{{"name", "k"}, {"cpu_cores", cores}}}},
          {"server_groups", {{{"name", "a"}, {"kind", "k"}, {"count", count}}}},
          {"workload", {{"arrival", {{"process", "poisson"}, {"qps", qps}}}}},
          {"models", models},
          {"run", {{"queries", queries}, {"warmup_queries", warmup}}}};
}

// A rack network whose route from the frontend crosses its link (10 us), the rack uplink (5 us)
// and the server's NIC (5 us, the slowest at 1 GB/s), with the given message sizes.
json rack_network(int servers_per_rack, double request_base, double request_per_item, double response_base, double response_per_item) {
  return {{"servers_per_rack", servers_per_rack},
          {"server_link", {{"gb_per_s", 1.0}, {"latency_us", 5}}},
          {"rack_uplink", {{"gb_per_s", 10.0}, {"latency_us", 5}}},
          {"frontend_link", {{"gb_per_s", 10.0}, {"latency_us", 10}}},
          {"request_bytes", {{"base", request_base}, {"per_item", request_per_item}}},
          {"response_bytes", {{"base", response_base}, {"per_item", response_per_item}}}};
}

}  // namespace

TEST_CASE("format 2: network time is added exactly on an idle system", "[datacenter][network]") {
  TempDir dir;
  auto doc = dc_document(1, 1, {model("m", deterministic(1.0), 10.0)}, 1.0, 1, 0);
  doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("t.csv", "0,100\n")}};
  doc["models"][0].erase("query_size");
  doc["models"][0]["scheduler"]["batch_size"] = 100;  // one request
  // Request 1,000 + 100 x 100 = 11,000 bytes; response 500 + 10 x 100 = 1,500 bytes; the route
  // crosses the frontend link (10 us), the rack uplink (5 us) and the server's NIC (5 us, the
  // slowest at 1 GB/s): 20 us + bytes / 1 GB/s each way.
  doc["network"] = rack_network(4, 1000, 100, 500, 10);
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.datacenter);
  const double request_ms = 0.020 + 11000 / 1e9 * 1e3, response_ms = 0.020 + 1500 / 1e9 * 1e3;
  CHECK(r.datacenter->network);
  CHECK(r.datacenter->network_ms == Approx(request_ms + response_ms).epsilon(1e-9));
  CHECK(r.datacenter->queueing_ms == Approx(0.0).margin(1e-9));
  CHECK(r.datacenter->service_ms == Approx(1.0).epsilon(1e-9));
  CHECK(r.latency_ms->max == Approx(1.0 + request_ms + response_ms).epsilon(1e-3));  // histogram bin
  CHECK(r.completed == 1);
}

TEST_CASE("format 2: messages of 0 bytes take their route's latency, however many cross at once", "[datacenter][network]") {
  TempDir dir;
  // 300 queries at the same instant on 300 one-core servers: 300 requests of 0 bytes (latency
  // alone: 20 us), all crossing at once; responses of 0 bytes; 1 ms of service each.
  std::string trace;
  for (int i = 0; i < 300; ++i) trace += "0,1\n";
  auto doc = dc_document(1, 300, {model("m", deterministic(1.0), 10.0)}, 1.0, 300, 0);
  doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("t.csv", trace)}};
  doc["models"][0].erase("query_size");
  doc["balancer"] = {{"policy", "round_robin"}};
  doc["network"] = rack_network(300, 0, 0, 0, 0);
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.completed == 300);
  REQUIRE(r.datacenter);
  CHECK(r.datacenter->network_ms == Approx(0.040).epsilon(1e-9));
  CHECK(r.datacenter->queueing_ms == Approx(0.0).margin(1e-9));
  CHECK(r.latency_ms->max == Approx(1.040).epsilon(1e-3));  // histogram bin
}

TEST_CASE("format 2: a lightly loaded fleet's network time does not depend on its size", "[datacenter][network][scale]") {
  // One-core servers at 20% load (1 ms each, 200 queries/s per server), racks of 20, a 1 ms server
  // link: at 2,000 servers about 800 messages cross at once (400,000 queries/s x 2 ms). No link is
  // shared beyond its bandwidth (a rack's 4 messages at 1 GB/s on its 10 GB/s uplink; the frontend's
  // link carries 800 GB/s at most), so every message takes its route's latency plus its bytes over
  // the server link, whatever the fleet's size: 2 x 1.015 ms + (2,000 + 1,000) bytes / 1 GB/s.
  const double expected_ms = 2 * 1.015 + 3000 / 1e9 * 1e3;
  for (const int servers : {20, 2000}) {
    CAPTURE(servers);
    auto doc = dc_document(1, servers, {model("m", deterministic(1.0), 10.0)}, 200.0 * servers, 40 * servers, 0);
    auto net = rack_network(20, 2000, 0, 1000, 0);
    net["server_link"]["latency_us"] = 1000;
    net["frontend_link"]["gb_per_s"] = 10000;
    doc["network"] = net;
    const auto r = simulate_isolated(scenario_from(doc));
    REQUIRE(r.datacenter);
    CHECK_FALSE(r.saturated);
    CHECK(r.datacenter->network_ms == Approx(expected_ms).epsilon(1e-6));  // SimGrid times to the ns
  }
}

TEST_CASE("format 2: energy and cost equal their closed forms on a deterministic load", "[datacenter][energy]") {
  TempDir dir;
  // 50 queries 10 ms apart, 1 ms each, on one 2-core server: busy 50 core-ms over a window of 491 ms.
  std::string trace;
  for (int i = 0; i < 50; ++i) trace += std::to_string(10 * i) + ",1\n";
  auto doc = dc_document(2, 1, {model("m", deterministic(1.0), 10.0)}, 1.0, 50, 0);
  doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("t.csv", trace)}};
  doc["models"][0].erase("query_size");
  doc["server_kinds"][0]["power"] = {{"cpu_idle_w", 100}, {"cpu_busy_w", 300}, {"other_w", 50}, {"source", "test figures"}};
  doc["server_kinds"][0]["cost_per_hour"] = 2.0;
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.datacenter);
  REQUIRE(r.datacenter->energy);
  const double window = 0.491, busy_core_s = 0.050;
  const double energy = (50 + 100) * window + (300 - 100) * busy_core_s / 2;
  CHECK(r.datacenter->energy->energy_j == Approx(energy).epsilon(1e-9));
  CHECK(r.datacenter->energy->mean_power_w == Approx(energy / window).epsilon(1e-9));
  CHECK(r.datacenter->energy->joules_per_query == Approx(energy / 50).epsilon(1e-9));
  CHECK(r.datacenter->energy->qps_per_watt == Approx((50 / window) / (energy / window)).epsilon(1e-9));
  REQUIRE(r.datacenter->cost_per_hour);
  CHECK(*r.datacenter->cost_per_hour == 2.0);
  CHECK(*r.datacenter->cost_per_million_queries == Approx(2.0 / (50 / window * 3600) * 1e6).epsilon(1e-9));
  REQUIRE(r.datacenter->kinds.size() == 1);
  CHECK(r.datacenter->kinds[0].power_source == "test figures");
}

TEST_CASE("format 2: two co-located models each get their own SLA verdict", "[datacenter][sla]") {
  // Light load on 8 cores: each query takes its service time, so p95 is it.
  const auto doc = dc_document(8, 2, {model("fast", deterministic(1.0), 5.0, 3.0), model("slow", deterministic(20.0), 10.0, 1.0)},
                               50.0, 4000, 400);
  const auto r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.datacenter);
  const auto& fast = model_named(r, "fast");
  const auto& slow = model_named(r, "slow");
  CHECK(fast.sla.met);
  CHECK(*fast.sla.observed_ms == Approx(1.0).epsilon(1e-3));
  CHECK_FALSE(slow.sla.met);
  CHECK(*slow.sla.observed_ms == Approx(20.0).epsilon(1e-3));
  CHECK(fast.share == Approx(0.75));
  CHECK(static_cast<double>(fast.measured) / (fast.measured + slow.measured) == Approx(0.75).margin(0.03));
  CHECK(fast.measured + slow.measured == r.measured);
  // The fleet meets its SLAs only if every model does; the top-level verdict is the binding model's.
  CHECK_FALSE(r.sla_met);
  CHECK(r.datacenter->binding_model == "slow");
  CHECK(r.sla_target_ms == 10.0);
}

TEST_CASE("format 2: weighted round robin shares queries by capacity, round robin equally", "[datacenter][balancers]") {
  TempDir dir;
  dir.write_json("fast.json", flat_profile("cpu", 1.0, false));
  dir.write_json("slow.json", flat_profile("cpu", 3.0, false));
  const json service = {{"type", "model"}, {"model", "dlrm-rmc1"}, {"contention", false}};
  auto doc = dc_document(1, 1, {model("m", service, 100.0)}, 200.0, 4000, 0);
  doc["server_kinds"] = {{{"name", "fast"}, {"cpu_cores", 1}, {"cpu_profile", "fast.json"}},
                         {{"name", "slow"}, {"cpu_cores", 1}, {"cpu_profile", "slow.json"}}};
  doc["server_groups"] = {{{"name", "f"}, {"kind", "fast"}}, {{"name", "s"}, {"kind", "slow"}}};
  doc["balancer"] = {{"policy", "weighted_round_robin"}};
  const auto w = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(w.datacenter);
  // Capacity 1 / 1 ms against 1 / 3 ms: stride scheduling gives exactly 3 of every 4 to the fast one.
  CHECK(w.datacenter->groups[0].measured == 3000);
  CHECK(w.datacenter->groups[1].measured == 1000);
  doc["balancer"] = {{"policy", "round_robin"}};
  const auto rr = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(rr.datacenter->groups[0].measured == 2000);
  CHECK(rr.datacenter->groups[1].measured == 2000);
  // The slow server at half the load has the longer tail.
  CHECK(rr.datacenter->groups[1].latency_ms->p95 > w.datacenter->groups[1].latency_ms->p95);
}

TEST_CASE("format 2: a model is routed only to the groups that host it", "[datacenter][placement]") {
  auto doc = dc_document(2, 2, {model("a", deterministic(1.0), 10.0), model("b", deterministic(1.0), 10.0)}, 400.0, 3000, 0);
  doc["server_groups"] = {{{"name", "g0"}, {"kind", "k"}, {"count", 2}}, {{"name", "g1"}, {"kind", "k"}, {"count", 3}}};
  doc["models"][0]["groups"] = {"g0"};
  doc["models"][1]["groups"] = {"g1"};
  for (const char* policy : {"least_loaded", "power_of_two", "random"}) {
    doc["balancer"] = {{"policy", policy}};
    const auto r = simulate_isolated(scenario_from(doc));
    INFO(policy);
    CHECK(r.datacenter->groups[0].measured == model_named(r, "a").measured);
    CHECK(r.datacenter->groups[1].measured == model_named(r, "b").measured);
  }
}

TEST_CASE("format 2: GPUs belong to their server, scheduled per server kind", "[datacenter][gpu]") {
  TempDir dir;
  dir.write_json("cpu.json", flat_profile("cpu", 1.0, false));
  dir.write_json("gpu.json", flat_profile("gpu", 1.0, true));
  const json service = {{"type", "model"}, {"model", "dlrm-rmc1"}, {"contention", false}};
  auto doc = dc_document(4, 1, {model("m", service, 100.0)}, 100.0, 2000, 0);
  doc["server_kinds"] = {{{"name", "cpu"}, {"cpu_cores", 4}, {"cpu_profile", "cpu.json"}},
                         {{"name", "gpu"}, {"cpu_cores", 4}, {"cpu_profile", "cpu.json"}, {"gpus", 1},
                          {"gpu_profile", "gpu.json"}, {"pcie", {{"gb_per_s", 16}, {"latency_us", 1}}}}};
  doc["server_groups"] = {{{"name", "c"}, {"kind", "cpu"}}, {{"name", "g"}, {"kind", "gpu"}}};
  doc["models"][0]["scheduler_by_kind"] = {{"gpu", {{"policy", "gpu-only"}}}};
  doc["balancer"] = {{"policy", "round_robin"}};
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.servers.size() == 2);
  CHECK(r.servers[0].gpus.empty());
  REQUIRE(r.servers[1].gpus.size() == 1);
  CHECK(r.servers[1].gpus[0].queries == 1000);  // every query routed to the GPU server, none of the others
  CHECK(r.gpu_queries == 1000);
  CHECK(r.servers[1].cpu == 0.0);
  CHECK(r.servers[0].cpu > 0.0);
  // Offloading on a kind without GPUs is refused, naming the key to change.
  doc["models"][0]["scheduler"] = {{"policy", "gpu-only"}};
  doc["models"][0].erase("scheduler_by_kind");
  CHECK(scenario_error(doc, dir.path()) ==
        "models.0.scheduler.policy: \"gpu-only\" offloads queries to GPUs, but server kind \"cpu\" has none: give it another "
        "policy in scheduler_by_kind");
}

TEST_CASE("format 2: invalid scenarios name the JSON path", "[datacenter][errors]") {
  const auto base = dc_document(2, 1, {model("m", deterministic(1.0), 10.0)}, 10.0, 100, 0);
  CHECK(scenario_error(base) == "valid");
  auto doc = base;
  doc["format"] = 3;
  CHECK(scenario_error(doc) == "format: expected 1 or 2, got 3");
  doc = base;
  doc["server_groups"][0]["kind"] = "big";
  CHECK(scenario_error(doc) == "server_groups.0.kind: no server kind is named \"big\"");
  doc = base;
  doc["models"][0]["groups"] = {"a", "nowhere"};
  CHECK(scenario_error(doc) == "models.0.groups.1: no server group is named \"nowhere\"");
  doc = base;
  doc["models"].push_back(doc["models"][0]);
  CHECK(scenario_error(doc) == "models.1.name: model name \"m\" is used twice");
  doc = base;
  doc["models"][0]["service"] = {{"type", "model"}, {"model", "dlrm-rmc1"}, {"profile", "x.json"}};
  CHECK(scenario_error(doc) ==
        "models.0.service.profile: in format 2 the profiles belong to the server kinds (server_kinds.N.cpu_profile, gpu_profile)");
  doc = base;
  doc["models"][0]["service"] = {{"type", "model"}, {"model", "dlrm-rmc1"}};
  CHECK(scenario_error(doc) == "server_kinds.0.cpu_profile: required: server kind \"k\" serves a model of type \"model\"");
  doc = base;
  doc["server_kinds"][0]["power"] = {{"cpu_idle_w", 100}, {"cpu_busy_w", 50}, {"source", "x"}};
  CHECK(scenario_error(doc) == "server_kinds.0.power.cpu_busy_w: expected at least cpu_idle_w (100.000000)");
  doc = base;
  doc["models"][0]["scheduler"] = {{"policy", "deeprecsched-online"}};
  CHECK(scenario_error(doc) ==
        "models.0.scheduler.policy: \"deeprecsched-online\" climbs one model's configuration: it runs in format-1 scenarios only");
  doc = base;
  doc["balancer"] = {{"policy", "nearest"}};
  CHECK(scenario_error(doc).rfind("balancer.policy: expected one of \"least_loaded\"", 0) == 0);
  doc = base;
  doc["server_kinds"].push_back({{"name", "unused"}, {"cpu_cores", 1}});
  CHECK(scenario_error(doc) == "server_kinds.1: no server group is of kind \"unused\"");
  doc = base;
  doc["models"][0]["scheduler_by_kind"] = {{"other", {{"policy", "static"}, {"batch_size", 1}}}};
  CHECK(scenario_error(doc) == "models.0.scheduler_by_kind.other: no server kind is named \"other\"");
  doc = base;
  doc["models"] = json::array();
  for (int i = 0; i < 257; ++i) {
    std::string name = "m";
    name += std::to_string(i);  // (GCC 12 warns falsely on "m" + std::to_string(i))
    doc["models"].push_back(model(name, deterministic(1.0), 10.0));
  }
  CHECK(scenario_error(doc) == "models: expected at most 256 models");
  doc = base;
  doc["network"] = {{"server_link", {{"gb_per_s", 1}, {"latency_us", 1}}}};
  CHECK(scenario_error(doc) == "network.rack_uplink: required key is missing");
}

TEST_CASE("format 1 stated explicitly reads as before", "[datacenter][scenario]") {
  auto doc = mmc_document(2, 100.0, 1.0, 100, 0);
  doc["format"] = 1;
  const auto s = scenario_from(doc);
  CHECK(s.format == 1);
  CHECK(s.fleet.kinds.size() == 1);  // format 1: one kind per server group
  const auto r = simulate_isolated(s);
  CHECK_FALSE(r.datacenter);
}

TEST_CASE("format 2: two requests sharing a server's link take their max-min shares, in both network models", "[datacenter][network][flow]") {
  // Requests of 1 MB through a 1 GB/s server link (20 us of latency), sent at 0 and 0.5 ms: the
  // first crosses alone from 0.02 ms, shares the link from 0.52 ms (0.5 MB left, 0.5 GB/s each)
  // and arrives at 1.52 ms; the second arrives at 2.02 ms (0.5 MB at half, 0.5 MB at full rate).
  // Both spend 1.52 ms on the wire; responses of 0 bytes take 20 us.
  TempDir dir;
  for (const std::string network_model : {"flow", "simgrid"}) {
    CAPTURE(network_model);
    auto doc = dc_document(2, 1, {model("m", deterministic(1.0), 10.0)}, 1.0, 2, 0);
    doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("t.csv", "0,1\n0.5,1\n")}};
    doc["models"][0].erase("query_size");
    doc["network"] = rack_network(4, 1e6, 0, 0, 0);
    doc["network"]["model"] = network_model;
    const auto r = simulate_isolated(scenario_from(doc, dir.path()));
    REQUIRE(r.completed == 2);
    REQUIRE(r.datacenter);
    CHECK(r.datacenter->network_ms == Approx(1.52 + 0.02).epsilon(1e-9));
    CHECK(r.datacenter->queueing_ms == Approx(0.0).margin(1e-9));
  }
}

TEST_CASE("format 2: the flow-level network gives SimGrid's times on the shipped network scenarios", "[datacenter][network][flow]") {
  // Each shipped scenario with a network, shortened to 3,000 queries, through both models: the same
  // queries complete, and the latencies agree within SimGrid's own numerical precision (its settings
  // maxmin/precision 1e-5 and surf/precision 1e-9 s: at the rack failure's 4,400 queries/s per
  // server, where requests often share a server's link, the mean network time differs by 7e-5 of
  // its 25 us, under 2 ns; tests above check the flow model against closed forms exactly).
  for (const std::string name : {"scenarios/bench/datacenter.json", "scenarios/datacenter/at-scale.json", "scenarios/time/at-scale-rack-failure.json"}) {
    CAPTURE(name);
    std::vector<RunResults> runs;
    for (const std::string network_model : {"flow", "simgrid"})
      runs.push_back(simulate_isolated(load_scenario(recsim::test::source_dir() + "/" + name,
                                                     {"run.queries=3000", "run.warmup_queries=300", "network.model=" + network_model})));
    const RunResults& flow = runs[0];
    const RunResults& simgrid = runs[1];
    REQUIRE(flow.datacenter);
    REQUIRE(simgrid.datacenter);
    CHECK(flow.completed == simgrid.completed);
    CHECK(flow.requests_simulated == simgrid.requests_simulated);
    CHECK(flow.datacenter->network_ms == Approx(simgrid.datacenter->network_ms).epsilon(2e-4));
    CHECK(flow.latency_ms->mean == Approx(simgrid.latency_ms->mean).epsilon(1e-5));
    CHECK(flow.latency_ms->p99 == Approx(simgrid.latency_ms->p99).epsilon(1e-5));
    CHECK(flow.datacenter->network_ms > 0.02);  // the messages did cross
  }
}

TEST_CASE("format 2: the completions left at the last arrival drain in the order and at the times the actor delivers them", "[datacenter][gpu][engine]") {
  // Three 4-core CPU servers and a server with a GPU, round robin. One query at 0, then 4,000 within
  // 0.4 ms at 10 s, before the first of their requests (1 ms) ends: their completions all come after
  // the last arrival, delivered by the drain (listed, in order, without a wake each) or, the
  // reference, by the actor at each one's time. The order shows in the latency batches' confidence
  // interval (20 batches of consecutive completions); the GPU's completions come between the CPUs'.
  // Every result must be the same.
  TempDir dir;
  dir.write_json("cpu.json", flat_profile("cpu", 1.0, false));
  dir.write_json("gpu.json", flat_profile("gpu", 1.0, true));
  std::string trace = "0,20\n";
  for (int i = 0; i < 4000; ++i) trace += std::to_string(10000.0 + 1e-4 * i) + "," + std::to_string(1 + (i * 37) % 100) + "\n";
  const json service = {{"type", "model"}, {"model", "dlrm-rmc1"}, {"contention", false}};
  auto doc = dc_document(4, 3, {model("m", service, 1000.0)}, 1.0, 4001, 0);
  doc["workload"]["arrival"] = {{"process", "trace"}, {"file", dir.write("t.csv", trace)}};
  doc["models"][0].erase("query_size");
  doc["models"][0]["scheduler"] = {{"policy", "static"}, {"batch_size", 16}};
  doc["models"][0]["scheduler_by_kind"] = {{"gpu", {{"policy", "gpu-only"}}}};
  doc["server_kinds"] = {{{"name", "cpu"}, {"cpu_cores", 4}, {"cpu_profile", "cpu.json"}},
                         {{"name", "gpu"}, {"cpu_cores", 4}, {"cpu_profile", "cpu.json"}, {"gpus", 1},
                          {"gpu_profile", "gpu.json"}, {"pcie", {{"gb_per_s", 16}, {"latency_us", 1}}}}};
  doc["server_groups"] = {{{"name", "c"}, {"kind", "cpu"}, {"count", 3}}, {{"name", "g"}, {"kind", "gpu"}}};
  doc["balancer"] = {{"policy", "round_robin"}};
  doc["run"]["max_in_flight"] = 10000;
  const Scenario s = scenario_from(doc, dir.path());
  SimulationOptions reference;
  reference.timely_completions = true;
  auto text = [](RunResults r) {
    r.wall_seconds = 0;
    return results_to_json(r).dump();
  };
  const RunResults drained = simulate_isolated(s);
  const RunResults timely = simulate_isolated(s, reference);
  REQUIRE(drained.completed == 4001);
  CHECK(drained.gpu_queries == 1000);
  CHECK_FALSE(drained.saturated);
  REQUIRE(drained.latency_ms);
  CHECK(drained.latency_ms->p50 > 2.0);  // queued: the drain holds hundreds on each server
  CHECK(drained.sla_ci95_ms);
  CHECK(text(drained) == text(timely));
}
