// A model's deployment on its servers (scheduler.instances, scheduler.intra_op_threads;
// sim/engine/server.h): its own workers are a queue of their own (Erlang C with c = instances), the
// models sharing the other cores do not delay it, a request with T intra-op threads takes the
// profile's T-thread curve and counts T cores busy (exact hand computations), the stability limit
// counts the workers each model has, and what cannot be deployed is refused in one line.
#include "sim/engine/isolated_run.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/stability_limit.h"
#include "sim/search/tuned_scenario.h"
#include "support/queueing_formulas.h"
#include "support/fleet_results.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

using namespace recsim;
using namespace recsim::test;
using nlohmann::json;

namespace {

json flat(double ms) { return json::array({{{"batch", 1}, {"median", ms}}, {{"batch", 1024}, {"median", ms}}}); }

// Model "m": 2 ms per request with one thread, 1.2 ms with two, 0.8 ms with four, whatever its
// size; 3 ms with the other core busy (contention ratio 1.5).
json threads_profile() {
  json m = {{"latency_ms", flat(2.0)},
            {"contention", {{"instances", 2}, {"latency_ms", flat(3.0)}}},
            {"intra_op_threads", json::array({{{"threads", 2}, {"latency_ms", flat(1.2)}}, {{"threads", 4}, {"latency_ms", flat(0.8)}}})}};
  return {{"format", "recsim-profile/1"}, {"device", "cpu"}, {"source", "measured"},
          {"provenance", {{"note", "synthetic, for tests"}}}, {"models", {{"m", m}}}};
}

// One server of `cores` cores replaying `trace` (whole queries: batch 1024), model "m" without
// contention unless asked.
json threads_document(const TempDir& dir, const std::string& trace, int cores, bool contention = false) {
  dir.write_json("profile.json", threads_profile());
  auto doc = mmc_document(cores, 1.0, 1.0, 1, 0);
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", trace}}}};
  doc["service"] = {{"type", "model"}, {"model", "m"}, {"profile", "profile.json"}, {"contention", contention}};
  doc["scheduler"]["batch_size"] = 1024;
  doc["run"] = json::object();
  return doc;
}

json exponential(double ms) { return {{"type", "exponential"}, {"mean_ms", ms}}; }

json fleet_model(const std::string& name, const json& service, double share, const json& scheduler) {
  return {{"name", name},
          {"share", share},
          {"query_size", {{"distribution", "fixed"}, {"value", 1}}},
          {"service", service},
          {"scheduler", scheduler},
          {"sla", {{"percentile", 95}, {"target_ms", 1000}}}};
}

json fleet_document(int cores, json models, double qps, std::uint64_t queries, std::uint64_t warmup) {
  return {{"format", 2},
          {"name", "dc"},
          {"seed", 5},
          {"server_kinds", {{{"name", "k"}, {"cpu_cores", cores}}}},
          {"server_groups", {{{"name", "a"}, {"kind", "k"}, {"count", 1}}}},
          {"workload", {{"arrival", {{"process", "poisson"}, {"qps", qps}}}}},
          {"models", std::move(models)},
          {"run", {{"queries", queries}, {"warmup_queries", warmup}}}};
}

}  // namespace

TEST_CASE("a model's instances are a queue of their own: M/M/c with c = instances", "[deployment][queueing]") {
  // 3 instances of one core on an 8-core server: the other 5 cores take none of its requests.
  const double mu = 1000.0, lambda = 0.7 * 3 * mu;
  auto doc = mmc_document(8, lambda, 1.0, 300000, 15000);
  doc["scheduler"]["instances"] = 3;
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE_FALSE(r.saturated);
  REQUIRE(r.latency_ms);
  const double C = erlang_c(3, lambda / mu);
  CHECK(r.latency_ms->mean / 1e3 == Approx(mmc_mean_sojourn(3, lambda, mu)).epsilon(0.02));
  CHECK(r.waited_fraction == Approx(C).margin(0.01));
  CHECK(r.latency_ms->p95 / 1e3 == Approx(mmc_sojourn_quantile(3, lambda, mu, 0.95)).epsilon(0.03));
  CHECK(r.cpu_utilization == Approx(lambda / mu / 8).epsilon(0.01));  // busy cores over all 8
  // The same load on all 8 cores shared waits far less: the instances are what queues.
  auto shared = mmc_document(8, lambda, 1.0, 300000, 15000);
  CHECK(simulate_isolated(scenario_from(shared)).waited_fraction == Approx(erlang_c(8, lambda / mu)).margin(0.01));
  // Stability: 3 workers of 1 ms each carry 3,000 queries/s, whatever the server's other cores.
  CHECK(*cpu_stability_limit_qps(scenario_from(doc)) == Approx(3000.0).epsilon(1e-12));
  // Beyond it the instances' own queue grows: the run says so and names them, though the server's
  // 8 cores would carry it.
  auto over = mmc_document(8, 1.1 * 3 * mu, 1.0, 60000, 3000);
  over["scheduler"]["instances"] = 3;
  const RunResults o = simulate_isolated(scenario_from(over));
  CHECK(o.saturated);
  CHECK_THAT(o.saturation_reason, Catch::Contains("(mmc's 3 instances)"));
}

TEST_CASE("co-located models on instances of their own each see their own M/M/c queue", "[deployment][queueing][datacenter]") {
  // A 4-core server: model a on 2 instances of its own, model b on the 2 cores left; each gets half
  // of 2,800 queries/s, so each is an M/M/2 (a at 70% load whatever b's service time; b at 70% or,
  // at 1.3 ms, 91%, where its mean's standard error over ~190,000 queries is about 5%).
  const double mu = 1000.0, lambda = 1400.0;
  for (const double b_mean_ms : {1.0, 1.3}) {
    CAPTURE(b_mean_ms);
    json models = json::array({fleet_model("a", exponential(1.0), 0.5, {{"policy", "static"}, {"batch_size", 1}, {"instances", 2}}),
                               fleet_model("b", exponential(b_mean_ms), 0.5, {{"policy", "static"}, {"batch_size", 1}})});
    const RunResults r = simulate_isolated(scenario_from(fleet_document(4, models, 2 * lambda, 400000, 20000)));
    REQUIRE_FALSE(r.saturated);
    const ModelResults& a = model_named(r, "a");
    REQUIRE(a.latency_ms);
    CHECK(a.latency_ms->mean / 1e3 == Approx(mmc_mean_sojourn(2, lambda, mu)).epsilon(0.03));
    CHECK(a.latency_ms->p95 / 1e3 == Approx(mmc_sojourn_quantile(2, lambda, mu, 0.95)).epsilon(0.04));
    const ModelResults& b = model_named(r, "b");
    REQUIRE(b.latency_ms);
    CHECK(b.latency_ms->mean / 1e3 == Approx(mmc_mean_sojourn(2, lambda, 1e3 / b_mean_ms)).epsilon(b_mean_ms == 1.0 ? 0.03 : 0.12));
  }
  // Stability: a's 2 workers carry 2,000 queries/s of a, so 4,000 of the mix; b's 2 shared cores at
  // 1.3 ms carry 1,538 of b, so 3,077 of the mix: the least of them.
  json models = json::array({fleet_model("a", exponential(1.0), 0.5, {{"policy", "static"}, {"batch_size", 1}, {"instances", 2}}),
                             fleet_model("b", exponential(1.3), 0.5, {{"policy", "static"}, {"batch_size", 1}})});
  CHECK(*cpu_stability_limit_qps(scenario_from(fleet_document(4, models, 1000, 1000, 0))) == Approx(2 / 1.3e-3 / 0.5).epsilon(1e-12));
}

TEST_CASE("a request with intra-op threads takes the profile's curve at that many threads and holds that many cores", "[deployment][threads]") {
  TempDir dir;
  // Three queries at once, each one request.
  const auto trace = dir.write("t.csv", "0,10\n0,10\n0,10\n");
  struct Case {
    int instances, threads;
    double first_ms, last_ms;  // the two that start at once, the third behind them
  };
  const auto c = GENERATE(Case{2, 1, 2.0, 4.0}, Case{2, 2, 1.2, 2.4}, Case{2, 4, 0.8, 1.6});
  CAPTURE(c.instances, c.threads);
  auto doc = threads_document(dir, trace, 8);
  doc["scheduler"]["instances"] = c.instances;
  doc["scheduler"]["intra_op_threads"] = c.threads;
  const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.latency_ms);
  CHECK(r.latency_ms->max == Approx(c.last_ms).epsilon(1e-9));
  CHECK(r.latency_ms->mean == Approx((2 * c.first_ms + c.last_ms) / 3).epsilon(1e-9));
  // Each request holds `threads` cores for its time: 3 x time x threads core-ms over 8 cores for
  // the window (the first arrival to the last completion).
  CHECK(r.cpu_utilization == Approx(3 * c.first_ms * c.threads / (8 * c.last_ms)).epsilon(1e-9));
  // Shared cores, one thread each: all three at once.
  const RunResults shared = simulate_isolated(scenario_from(threads_document(dir, trace, 8), dir.path()));
  CHECK(shared.latency_ms->max == Approx(2.0).epsilon(1e-9));
}

TEST_CASE("a server holds any number of requests in order (more than it keeps inside itself)", "[deployment][server]") {
  // 200 queries at once, one request of 2 ms each, on 2 shared cores: 200 requests queued at one
  // server, past the 48 its object holds (sim/engine/server.h). FIFO over the two cores: queries 2k
  // and 2k + 1 end at 2 (k + 1) ms, so the last at 200 ms and the mean at 101 ms, both cores busy
  // throughout.
  TempDir dir;
  std::string lines;
  for (int q = 0; q < 200; ++q) lines += "0,10\n";
  const auto trace = dir.write("t.csv", lines);
  auto doc = threads_document(dir, trace, 2);
  doc["run"]["warmup_queries"] = 0;
  const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.latency_ms);
  CHECK(r.completed == 200);
  CHECK(r.measured == 200);
  CHECK(r.latency_ms->max == Approx(200.0).epsilon(1e-9));
  CHECK(r.latency_ms->mean == Approx(101.0).epsilon(1e-9));
  CHECK(r.cpu_utilization == Approx(1.0).epsilon(1e-9));
}

TEST_CASE("contention counts the cores of the other busy workers", "[deployment][threads][contention]") {
  TempDir dir;
  // Two instances of two threads on 4 cores: the first request finds the other 2 cores idle
  // (1.2 ms), the second finds both busy with the first (ratio 3 / 2: 1.8 ms).
  const auto trace = dir.write("t.csv", "0,10\n0,10\n");
  auto doc = threads_document(dir, trace, 4, true);
  doc["scheduler"]["instances"] = 2;
  doc["scheduler"]["intra_op_threads"] = 2;
  const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(r.latency_ms->mean == Approx((1.2 + 1.8) / 2).epsilon(1e-9));
  CHECK(r.latency_ms->max == Approx(1.8).epsilon(1e-9));
  // One instance of four threads has no other core: no contention, ever.
  doc["scheduler"]["instances"] = 1;
  doc["scheduler"]["intra_op_threads"] = 4;
  const RunResults one = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(one.latency_ms->mean == Approx((0.8 + 1.6) / 2).epsilon(1e-9));
  CHECK(one.latency_ms->max == Approx(1.6).epsilon(1e-9));
}

TEST_CASE("deployments that cannot run are refused in one line naming the key", "[deployment][errors]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,10\n");
  auto doc = threads_document(dir, trace, 8);
  doc["scheduler"]["intra_op_threads"] = 2;
  CHECK(scenario_error(doc, dir.path()) ==
        "scheduler.intra_op_threads: needs `instances`: how many workers of 2 cores each serve the model on each server");
  doc["scheduler"]["instances"] = 5;
  CHECK(scenario_error(doc, dir.path()) == "scheduler.instances: 5 instances of 2 cores need 10 cores; server kind \"server\" has 8");
  doc["scheduler"]["instances"] = 1;
  doc["scheduler"]["intra_op_threads"] = 3;
  CHECK(scenario_error(doc, dir.path()) ==
        "scheduler.intra_op_threads: the CPU profile profile.json has no curve for \"m\" with 3 threads (it has 2, 4; "
        "`recsim calibrate --intra-op-threads` measures them)");
  auto mmc = mmc_document(4, 100, 1.0, 100, 0);
  mmc["scheduler"]["instances"] = 1;
  mmc["scheduler"]["intra_op_threads"] = 2;
  CHECK(scenario_error(mmc) == "scheduler.intra_op_threads: needs a service of type \"model\": a \"exponential\" service has no curve measured with several threads");
  mmc["scheduler"]["instances"] = 0;
  CHECK(scenario_error(mmc) == "scheduler.instances: expected an integer in [1, 4096], got 0");
  // A fleet: the models' instances together, and a model left without a core.
  const json with = {{"policy", "static"}, {"batch_size", 1}, {"instances", 3}};
  json models = json::array({fleet_model("a", exponential(1.0), 0.5, with), fleet_model("b", exponential(1.0), 0.5, with)});
  CHECK(scenario_error(fleet_document(5, models, 100, 100, 0)) ==
        "models.1.scheduler.instances: on server group \"a\" (5 cores per server) the models' instances take 6 cores (a 3, b 3)");
  models[1]["scheduler"] = {{"policy", "static"}, {"batch_size", 1}};
  CHECK(scenario_error(fleet_document(3, models, 100, 100, 0)) ==
        "models.0.scheduler.instances: on server group \"a\" (3 cores per server) the models' instances take every core (a 3), "
        "leaving none for \"b\", which shares them");
  CHECK(scenario_error(fleet_document(4, models, 100, 100, 0)) == "valid");
}

TEST_CASE("the tuned scenario keeps each model's deployment", "[deployment][tune]") {
  TempDir dir;
  auto doc = mmc_document(8, 100, 1.0, 100, 0);
  doc["scheduler"]["instances"] = 2;
  doc["scheduler"]["intra_op_threads"] = 1;
  const std::string path = dir.write_json("s.json", doc);
  const Scenario s = load_scenario(path, {});
  TuneConfig best;
  best.batch_size = 4;
  const FleetConfigs configs{{std::optional<TuneConfig>(best)}};
  const json tuned = json::parse(tuned_scenario_text(s, configs, dir.path() + "/tuned.json"));
  CHECK(tuned["scheduler"] == json({{"policy", "static"}, {"batch_size", 4}, {"instances", 2}}));
}
