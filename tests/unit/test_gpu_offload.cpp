// GPUs in the platform: offload routing by the deeprecsched threshold, the PCIe transfer time of a
// lone query, the GPU's FIFO with copies overlapping kernels, and the scenario checks.
#include "sim/engine/isolated_run.h"
#include "support/cli_runner.h"
#include "support/gpu_scenarios.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"

#include <catch2/catch.hpp>

using namespace recsim;
using namespace recsim::test;


TEST_CASE("a lone offloaded query pays both PCIe transfers and the kernels", "[gpu]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,100\n");
  const auto r = simulate_isolated(scenario_from(gpu_document(dir, trace, 1, "gpu-only"), dir.path()));
  CHECK(r.gpu_queries == 1);
  CHECK(r.latency_ms->max == Approx(kLoneMs).epsilon(1e-4));
  REQUIRE(r.gpu_utilization.has_value());
  REQUIRE(r.servers[0].gpus.size() == 1);
  CHECK(r.servers[0].gpus[0].busy == Approx(1.0 / kLoneMs).epsilon(1e-3));  // kernels over the window
  CHECK(r.servers[0].gpus[0].h2d == Approx(0.3172 / kLoneMs).epsilon(1e-3));
  CHECK(r.servers[0].gpus[0].upload_stage == r.servers[0].gpus[0].h2d);  // no cache: the stage is its transfer
  CHECK(r.servers[0].gpus[0].tier_wait == 0.0);
  CHECK(r.cpu_utilization == 0.0);
}

TEST_CASE("deeprecsched sends queries of size >= threshold to a GPU and splits the rest", "[gpu]") {
  TempDir dir;
  // Far apart: sizes 10 and 49 on the CPU (1 and 4 requests of <= 16), 50 and 60 on the GPU.
  const auto trace = dir.write("t.csv", "0,10\n100,60\n200,49\n300,50\n");
  const auto r = simulate_isolated(scenario_from(gpu_document(dir, trace, 1, "deeprecsched"), dir.path()));
  CHECK(r.gpu_queries == 2);
  CHECK(r.requests_simulated == 1 + 4 + 2);
  CHECK(r.servers[0].gpus[0].queries == 2);
  // static with the same platform never offloads.
  auto doc = gpu_document(dir, trace, 1, "static");
  const auto s = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(s.gpu_queries == 0);
  CHECK(s.requests_simulated == 1 + 4 + 4 + 4);
}

TEST_CASE("one GPU serves queries FIFO, copies overlapping kernels, and two GPUs serve two at once", "[gpu]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,100\n0,100\n");
  // One GPU: the second query's upload follows the first's (0.3172 ms later) and overlaps its
  // kernels; its kernels wait for the first's to end.
  const auto one = simulate_isolated(scenario_from(gpu_document(dir, trace, 1, "gpu-only"), dir.path()));
  CHECK(one.latency_ms->max == Approx(0.3172 + 1.0 + 1.0 + 0.0104).epsilon(1e-4));
  const auto two = simulate_isolated(scenario_from(gpu_document(dir, trace, 2, "gpu-only"), dir.path()));
  CHECK(two.latency_ms->max == Approx(kLoneMs).epsilon(1e-4));
  CHECK(two.servers[0].gpus.size() == 2);
  CHECK(two.servers[0].gpus[0].queries == 1);
  CHECK(two.servers[0].gpus[1].queries == 1);
}

TEST_CASE("GPU scenarios: invalid combinations are named", "[gpu][errors]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,100\n");
  auto doc = gpu_document(dir, trace, 1, "deeprecsched");
  CHECK(scenario_error(doc, dir.path()) == "valid");

  auto d = doc;
  d["platform"]["servers"][0]["gpus"] = 0;
  CHECK(scenario_error(d, dir.path()) == "platform.servers.0.pcie: a PCIe link needs GPUs: set \"gpus\" >= 1 or remove \"pcie\"");
  d["platform"]["servers"][0].erase("pcie");
  CHECK(scenario_error(d, dir.path()) ==
        "scheduler.policy: \"deeprecsched\" offloads queries to GPUs, but no server has any (platform.servers.N.gpus)");

  d = doc;
  d["platform"]["servers"][0].erase("pcie");
  CHECK(scenario_error(d, dir.path()) == "platform.servers.0.pcie: required key is missing");

  d = doc;
  d["service"].erase("gpu_profile");
  CHECK(scenario_error(d, dir.path()) ==
        "service.gpu_profile: required when the scheduler offloads to GPUs (a service of type \"model\" with a GPU profile)");

  d = doc;
  d["service"]["gpu_profile"] = "cpu.json";
  CHECK(scenario_error(d, dir.path()) == "service.gpu_profile: expected a GPU profile (\"device\": \"gpu\"), got \"cpu\"");

  dir.write_json("gpu-no-kernels.json", flat_profile("gpu", 1.0, false));
  d = doc;
  d["service"]["gpu_profile"] = "gpu-no-kernels.json";
  CHECK(scenario_error(d, dir.path()) == "service.gpu_profile: the profile has no kernel-only times (\"kernel_only_ms\") for \"dlrm-rmc1\"");

  d = doc;
  d["scheduler"]["policy"] = "static";
  CHECK(scenario_error(d, dir.path()) == "scheduler.gpu_threshold: only the \"deeprecsched\" policy has a GPU threshold");
  d["scheduler"].erase("gpu_threshold");
  CHECK(scenario_error(d, dir.path()) == "valid");

  d = doc;
  d["scheduler"].erase("gpu_threshold");
  CHECK(scenario_error(d, dir.path()) == "scheduler.gpu_threshold: required key is missing");

  d = doc;
  d["platform"]["servers"][0]["pcie"]["gb_per_s"] = 0;
  CHECK(scenario_error(d, dir.path()).rfind("platform.servers.0.pcie.gb_per_s: expected a number", 0) == 0);
}

TEST_CASE("recsim tune climbs the GPU threshold after the batch size when the platform has GPUs", "[gpu][tune][cli]") {
  TempDir dir;
  auto doc = gpu_document(dir, "", 1, "static");
  doc["workload"] = {{"arrival", {{"process", "poisson"}, {"qps", 500}}},
                     {"query_size", {{"distribution", "lognormal"}, {"mu", 4.0}, {"sigma", 0.5}, {"max", 256}}}};
  doc["sla"]["target_ms"] = 10;
  doc["run"] = {{"queries", 4000}, {"warmup_queries", 400}};
  const auto scenario = dir.write_json("s.json", doc);
  const auto out = dir.file("t.json");
  const auto r = run_recsim({"tune", scenario, "--out", out, "--batches", "8,16,32", "--thresholds", "16,64,256",
                             "--precision", "0.05"});
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  bool climbed_threshold = false;
  for (const auto& p : j["path"])
    if (p["phase"] == "threshold") {
      climbed_threshold = true;
      CHECK(p["gpu_threshold"].is_number_integer());
    }
  CHECK(climbed_threshold);
  // Without GPUs, thresholds are refused.
  doc["platform"]["servers"][0].erase("gpus");
  doc["platform"]["servers"][0].erase("pcie");
  const auto bad = run_recsim({"tune", dir.write_json("n.json", doc), "--thresholds", "16"});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: --thresholds: the scenario cannot offload: it needs servers with GPUs and service.gpu_profile\n");
}


TEST_CASE("GPU embedding cache: a cold query waits for its misses, or answers them with default vectors", "[gpu][cache]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,100\n");
  auto doc = gpu_document(dir, trace, 1, "gpu-only");
  doc["service"]["embedding_cache"] = {{"fraction", 0.01}, {"keys", {{"distribution", "uniform"}}},
                                       {"tier_profile", linear_tier_profile(dir)}, {"hit_rate_threshold", 2.0}};
  // Synchronous (threshold above 1): each of dlrm-rmc1's 8 tables fetches its u_t unique keys of the
  // 100 x 80 asked: 0.01 + 1e-4 (u_t - 1) ms in the tier, then u_t x 32 floats over the 1 GB/s,
  // 10 us link.
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.embedding_cache.has_value());
  const auto& c = r.embedding_cache->counters;
  CHECK(c.batches == 8);
  CHECK(c.lookups == 8 * 100 * 80);
  CHECK(c.hits == 0);
  CHECK(c.unique > 8 * 7990);  // 4M rows: few repeats among 8,000 keys
  CHECK(c.fetched_keys == c.unique);
  CHECK(c.synchronous_batches == 8);
  CHECK(c.default_answers == 0);
  const double u = static_cast<double>(c.fetched_keys);
  const double wait_ms = 8 * 0.01 + 1e-4 * (u - 8) + 8 * 0.010 + u * 32 * 4 / 1e6;
  CHECK(r.latency_ms->max == Approx(kLoneMs + wait_ms).epsilon(1e-6));

  // Asynchronous (threshold 0): the misses are answered with default vectors; the query does not wait.
  doc["service"]["embedding_cache"]["hit_rate_threshold"] = 0.0;
  const auto a = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(a.embedding_cache->counters.default_answers == a.embedding_cache->counters.unique);
  CHECK(a.embedding_cache->counters.synchronous_batches == 0);
  CHECK(a.embedding_cache->counters.fetched_keys == 0);
  CHECK(a.latency_ms->max == Approx(kLoneMs).epsilon(1e-6));
}

TEST_CASE("GPU embedding cache: the same keys again hit, and the scenario keys are checked", "[gpu][cache]") {
  TempDir dir;
  // Two queries far apart, 50% cached (nothing the first query brings is evicted): with Zipf(1.2)
  // keys the second finds the hot keys the first brought in; with uniform keys over 4M rows almost
  // none (about 16 of 8,000 per table are expected to repeat).
  const auto trace = dir.write("t.csv", "0,100\n1000,100\n");
  auto doc = gpu_document(dir, trace, 1, "gpu-only");
  doc["service"]["embedding_cache"] = {{"fraction", 0.5}, {"keys", {{"distribution", "zipf"}, {"alpha", 1.2}}},
                                       {"tier_profile", linear_tier_profile(dir)}};
  doc["run"] = {{"warmup_queries", 1}};
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  const auto& c = r.embedding_cache->counters;
  CHECK(c.batches == 8);  // the measured (second) query only
  auto uniform = doc;
  uniform["service"]["embedding_cache"]["keys"] = {{"distribution", "uniform"}};
  const auto u = simulate_isolated(scenario_from(uniform, dir.path()));
  CHECK(u.embedding_cache->counters.hits < 8 * 50);
  CHECK(c.hits > 10 * u.embedding_cache->counters.hits);
  CHECK(static_cast<double>(c.hits) / static_cast<double>(c.unique) > 0.2);

  auto bad = doc;
  bad["service"]["embedding_cache"]["volatile_tier"] = "redis";
  bad["service"]["embedding_cache"]["redis"] = {{"gb_per_s", 1}, {"latency_us", 50}};
  auto no_redis = nlohmann::json::parse(read_file(linear_tier_profile(dir)));
  no_redis["tiers"].erase("redis");
  bad["service"]["embedding_cache"]["tier_profile"] = dir.write_json("no-redis.json", no_redis);
  CHECK(scenario_error(bad, dir.path()) ==
        "service.embedding_cache.tier_profile: the tier profile has no lookup timings for tier \"redis\", which the model's tables need");
  bad = doc;
  bad["service"]["embedding_cache"]["fraction"] = 0;
  CHECK(scenario_error(bad, dir.path()).rfind("service.embedding_cache.fraction:", 0) == 0);
  bad = doc;
  bad["service"]["embedding_cache"]["keys"] = {{"distribution", "zipf"}};
  CHECK(scenario_error(bad, dir.path()).rfind("service.embedding_cache.keys.alpha:", 0) == 0);
  bad = doc;
  bad["platform"]["servers"][0]["gpus"] = 64;  // 64 replicas of 8 x 4M rows, all cached
  bad["service"]["embedding_cache"]["fraction"] = 1.0;
  CHECK(scenario_error(bad, dir.path()) == "service.embedding_cache.fraction: the caches of all GPUs would take 22.9 GiB of "
                                           "the simulator's memory (at most 8 GiB): lower it, or use \"mode\": \"analytic\"");
  bad["service"]["embedding_cache"]["mode"] = "analytic";  // no slots: no memory limit
  CHECK(scenario_error(bad, dir.path()) == "valid");
  bad = doc;
  bad["service"].erase("gpu_profile");
  bad["scheduler"] = {{"policy", "static"}, {"batch_size", 16}};
  CHECK(scenario_error(bad, dir.path()) ==
        "service.embedding_cache: the GPU embedding cache serves offloaded queries: it needs service.gpu_profile");
}
