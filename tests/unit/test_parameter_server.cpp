// The parameter server in a run: misses falling through the lower tiers (host hash map or Redis over
// its link, RocksDB on the SSD, default vector) with exact times, asynchronous insertion in the
// background, the hit rate over time from a cold start, online updates with refresh and an outage,
// the analytic mode against the key-level one, and the scenario checks.
#include "kernels/model/model_spec.h"
#include "sim/engine/isolated_run.h"
#include "sim/metrics/hit_rate_timeline.h"
#include "sim/metrics/results_json.h"
#include "support/gpu_scenarios.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <numeric>
#include <string>

using namespace recsim;
using namespace recsim::test;

namespace {

double ratio(std::uint64_t a, std::uint64_t b) { return static_cast<double>(a) / static_cast<double>(b); }

// `count` queries of `items` items, `gap_ms` apart.
std::string query_trace(const TempDir& dir, int count, double gap_ms, int items) {
  std::string text;
  for (int i = 0; i < count; ++i) text += std::to_string(i * gap_ms) + "," + std::to_string(items) + "\n";
  return dir.write("queries.csv", text);
}

}  // namespace

TEST_CASE("parameter server: a miss falls through the volatile tier, the SSD's RocksDB and the default vector, timed exactly", "[ps]") {
  TempDir dir;
  auto doc = cache_document(dir, query_trace(dir, 1, 0, 100), {{"fraction", 0.01},
                                        {"keys", {{"distribution", "uniform"}}},
                                        {"hit_rate_threshold", 2.0},
                                        {"volatile_fraction", 0.25},
                                        {"persistent", {{"fraction", 0.75}, {"read_gb_per_s", 1.0}, {"write_gb_per_s", 0.5}}}});
  // One cold query: every unique key misses. Per table t (8 of them), u_t unique keys of which v_t
  // are in the volatile tier, p_t only in the persistent one and n_t nowhere: the hash map is asked
  // all u_t (0.01 + 1e-4 (u_t - 1) ms), RocksDB the p_t + n_t it lacks (0.05 + 1e-3 (p_t + n_t - 1)
  // ms), the SSD reads a 4 KiB block per key found there at 1 GB/s, and the v_t + p_t vectors found
  // cross the PCIe link (10 us + 128 bytes each at 1 GB/s).
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheCounters& c = r.embedding_cache->counters;
  REQUIRE(c.batches == 8);
  CHECK(c.hits == 0);
  CHECK(c.volatile_keys + c.persistent_keys + c.not_found_keys == c.unique);
  CHECK(ratio(c.volatile_keys, c.unique) == Approx(0.25).margin(0.02));
  CHECK(ratio(c.persistent_keys, c.unique) == Approx(0.50).margin(0.02));
  CHECK(ratio(c.not_found_keys, c.unique) == Approx(0.25).margin(0.02));
  CHECK(c.default_answers == c.not_found_keys);
  CHECK(c.fetched_keys == c.volatile_keys + c.persistent_keys);
  const double u = static_cast<double>(c.unique), m = static_cast<double>(c.persistent_keys + c.not_found_keys);
  const double p = static_cast<double>(c.persistent_keys), f = static_cast<double>(c.fetched_keys);
  const double tiers_ms = 8 * 0.01 + 1e-4 * (u - 8) + 8 * 0.05 + 1e-3 * (m - 8) + p * 4096 / 1e6;
  const double pcie_ms = 8 * 0.010 + f * 128 / 1e6;
  const double lone_ms = kLoneMs + tiers_ms + pcie_ms;
  CHECK(r.latency_ms->max == Approx(lone_ms).epsilon(1e-6));
  // Reported apart, over the window (this query's lifetime): the PCIe host-to-device direction
  // carried the query's inputs (0.3172 ms) and the vectors found; the upload stage also waited on
  // the tiers; the kernels ran 1 ms.
  const GpuUtilization& g = r.servers[0].gpus[0];
  CHECK(g.h2d == Approx((0.3172 + pcie_ms) / lone_ms).epsilon(1e-6));
  CHECK(g.tier_wait == Approx(tiers_ms / lone_ms).epsilon(1e-6));
  CHECK(g.upload_stage == Approx((0.3172 + pcie_ms + tiers_ms) / lone_ms).epsilon(1e-6));
  CHECK(g.busy == Approx(1.0 / lone_ms).epsilon(1e-6));
  // The tiers' software time ran on the server's cores (the SSD's block reads did not), reported
  // apart from the inference utilisation.
  const auto& server = r.servers[0];
  REQUIRE(server.tier_work.has_value());
  const double tier_cpu_ms = 8 * 0.01 + 1e-4 * (u - 8) + 8 * 0.05 + 1e-3 * (m - 8);
  CHECK(*server.tier_work == Approx(tier_cpu_ms / (lone_ms * static_cast<double>(server.cores.size()))).epsilon(1e-6));

  // The volatile tier on a Redis node behind a 1 GB/s, 50 us link: per table one MGET of the u_t
  // keys (8 bytes each) over the link, Redis's 0.02 + 2e-4 (u_t - 1) ms, and the v_t vectors back.
  doc["service"]["embedding_cache"]["volatile_tier"] = "redis";
  doc["service"]["embedding_cache"]["redis"] = {{"gb_per_s", 1.0}, {"latency_us", 50.0}};
  const auto redis = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheCounters& rc = redis.embedding_cache->counters;
  REQUIRE(rc.unique == c.unique);  // the same keys
  const double v = static_cast<double>(rc.volatile_keys);
  const double redis_ms = 16 * 0.050 + (8 * u + 128 * v) / 1e6 + 8 * 0.02 + 2e-4 * (u - 8);
  const double rocks_ms = 8 * 0.05 + 1e-3 * (m - 8) + p * 4096 / 1e6;
  CHECK(redis.latency_ms->max == Approx(kLoneMs + redis_ms + rocks_ms + pcie_ms).epsilon(1e-6));

  // A cluster of 4 Redis nodes: each table's keys split evenly, the nodes in parallel, so Redis's
  // part is 0.02 + 2e-4 (ceil(u_t / 4) - 1) ms per table (the ceilings add at most 6 keys in all).
  doc["service"]["embedding_cache"]["redis"]["nodes"] = 4;
  const auto cluster = simulate_isolated(scenario_from(doc, dir.path()));
  const double cluster_ms = 16 * 0.050 + (8 * u + 128 * v) / 1e6 + 8 * 0.02 + 2e-4 * (u / 4 - 8);
  CHECK(cluster.latency_ms->max == Approx(kLoneMs + cluster_ms + rocks_ms + pcie_ms).margin(6 * 2e-4 + 1e-6));
}

TEST_CASE("parameter server: asynchronous misses are answered with default vectors and fetched in the background", "[ps]") {
  TempDir dir;
  // 200 queries 5 ms apart, Zipf(1.1) keys, 2% cached, always asynchronous (threshold 0): no query
  // waits for the lower tiers, and the background fetches fill the cache, so the hit rate climbs
  // from 0 at the cold start.
  auto doc = cache_document(dir, query_trace(dir, 200, 5.0, 50), {{"fraction", 0.02},
                                        {"keys", {{"distribution", "zipf"}, {"alpha", 1.1}}},
                                        {"hit_rate_threshold", 0.0},
                                        {"timeline_ms", 50}});
  doc["run"] = {{"warmup_queries", 100}};
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheReport& e = *r.embedding_cache;
  CHECK(e.counters.synchronous_batches == 0);
  CHECK(e.counters.fetched_keys == 0);
  CHECK(e.counters.default_answers == e.counters.unique - e.counters.hits);
  CHECK(e.background_fetches > 0);
  CHECK(e.background_dropped == 0);
  CHECK(e.background_keys <= e.counters.unique - e.counters.hits);
  // The timeline: 200 queries over 1 s in 50 ms bins, from a cold first bin to a warm last one.
  CHECK(e.timeline_bin_s == Approx(0.05));
  REQUIRE(e.timeline_unique.size() == 20);
  const double first = ratio(e.timeline_hits.front(), e.timeline_unique.front());
  const double last = ratio(e.timeline_hits.back(), e.timeline_unique.back());
  CHECK(first < 0.5 * last);
  CHECK(last > 0.4);
  CHECK(std::accumulate(e.timeline_unique.begin(), e.timeline_unique.end(), std::uint64_t{0}) > e.counters.unique);
  // Nothing waits for the tiers: every query takes the lone query's time or a little more (the
  // background fetches share the PCIe link with the queries' inputs).
  CHECK(r.latency_ms->p50 < kLoneMs + 0.2);
}

TEST_CASE("parameter server: online updates become visible at the refresh of their set, and an outage delays them", "[ps]") {
  TempDir dir;
  // Two servers with one GPU each, 0.1% cached (about 4,000 keys per table), preloaded; a refresh
  // re-reads the whole cache every 20 ms; one stream of 2,000 updates per second per table that both
  // servers consume, polled every millisecond; 1,000 queries 1 ms apart.
  auto doc = cache_document(dir, query_trace(dir, 1000, 1.0, 10), {{"fraction", 0.001},
                                        {"keys", {{"distribution", "zipf"}, {"alpha", 1.2}}},
                                        {"preload", true},
                                        {"refresh", {{"interval_ms", 20}, {"share", 1.0}}},
                                        {"updates", {{"keys_per_s", 2000}, {"tick_ms", 1}}}});
  doc["platform"]["servers"][0]["count"] = 2;
  doc["run"] = {{"warmup_queries", 100}};
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheReport& e = *r.embedding_cache;
  REQUIRE(e.updates);
  REQUIRE(e.refresh_passes.has_value());
  // About 0.9 s measured: 8 tables x 2,000/s published once (Poisson: 14,400 +- 120), written by
  // each of the two servers.
  const double window_s = 0.9;
  CHECK(static_cast<double>(e.updates_published) == Approx(8 * 2000 * window_s).epsilon(0.05));
  CHECK(static_cast<double>(e.updates_written) == Approx(2.0 * static_cast<double>(e.updates_published)).epsilon(0.02));
  CHECK(e.updates_redelivered == 0);
  CHECK(*e.refresh_passes >= 2 * 30);
  CHECK(e.refresh_keys >= *e.refresh_passes * 8 * 3900);
  // Zipf(1.2): the cached hot keys take a large share of the updates; each becomes visible at the
  // end of the next pass: at most the slice (1 ms), the poll, the write, the 20 ms wait and one pass
  // (8 tables of about 4,000 keys: 8 x (0.41 ms in the hash map + 0.52 ms on PCIe + 10 us) = 7.5 ms)
  // later.
  REQUIRE(e.staleness_ms.has_value());
  CHECK(e.updates_visible > e.updates_written / 4);
  CHECK(e.updates_visible < e.updates_written);
  CHECK(e.staleness_ms->p50 > 1.0);
  CHECK(e.staleness_ms->max < 1 + 1 + 1 + 20 + 7.6 + 7.6);

  // server-1's consumer is down from 0.4 s to 0.6 s: what was published meanwhile is applied at
  // 0.6 s, so some staleness exceeds the outage's length less the 20 ms refresh cadence; the batch
  // applied just before going down (one 1 ms slice: 16 updates expected) is written again.
  doc["service"]["embedding_cache"]["updates"]["outages"] = {{{"server", "server-1"}, {"from_s", 0.4}, {"until_s", 0.6}}};
  const auto down = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheReport& d = *down.embedding_cache;
  CHECK(d.updates_published == e.updates_published);  // the same stream
  CHECK(d.updates_redelivered >= 1);
  CHECK(d.updates_redelivered <= 50);
  CHECK(d.staleness_ms->max > 180.0);
  CHECK(d.staleness_ms->max < 200.0 + 1 + 1 + 20 + 7.6 + 7.6 + 5);
  CHECK(d.staleness_ms->p99 > e.staleness_ms->p99);

  // The same scenario and seed give the same results.
  auto again = simulate_isolated(scenario_from(doc, dir.path()));
  auto same = down;
  again.wall_seconds = same.wall_seconds = 0;
  CHECK(results_to_json(again).dump() == results_to_json(same).dump());
}

TEST_CASE("parameter server: the analytic mode agrees with the key-level mode in steady state", "[ps]") {
  TempDir dir;
  // 400 queries of 64 items, Zipf(1.05) keys, 5% cached (preloaded, 100 warm-up queries); the
  // volatile tier holds the hottest 20% of rows, the persistent one 60%.
  auto doc = cache_document(dir, query_trace(dir, 400, 2.0, 64), {{"fraction", 0.05},
                                        {"keys", {{"distribution", "zipf"}, {"alpha", 1.05}}},
                                        {"preload", true},
                                        {"volatile_fraction", 0.2},
                                        {"persistent", {{"fraction", 0.6}, {"read_gb_per_s", 2.0}, {"write_gb_per_s", 1.0}}}});
  doc["run"] = {{"warmup_queries", 100}};
  const auto keys = simulate_isolated(scenario_from(doc, dir.path()));
  doc["service"]["embedding_cache"]["mode"] = "analytic";
  const auto analytic = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheCounters& k = keys.embedding_cache->counters;
  const CacheCounters& a = analytic.embedding_cache->counters;
  CHECK(analytic.embedding_cache->mode == "analytic");
  CHECK(a.lookups == k.lookups);
  CHECK(ratio(a.unique, k.unique) == Approx(1.0).epsilon(0.01));
  CHECK(ratio(a.hits, a.unique) == Approx(ratio(k.hits, k.unique)).margin(0.02));
  CHECK(ratio(a.volatile_keys, a.unique) == Approx(ratio(k.volatile_keys, k.unique)).margin(0.02));
  CHECK(ratio(a.persistent_keys, a.unique) == Approx(ratio(k.persistent_keys, k.unique)).margin(0.02));
  CHECK(ratio(a.not_found_keys, a.unique) == Approx(ratio(k.not_found_keys, k.unique)).margin(0.01));
  CHECK(analytic.latency_ms->p50 == Approx(keys.latency_ms->p50).epsilon(0.05));
}

TEST_CASE("parameter server: the hit-rate timeline keeps at most its bins by doubling their width", "[ps]") {
  HitRateTimeline t(0.5, 4);
  t.add(0.1, 10, 1);
  t.add(1.9, 10, 5);
  CHECK(t.unique() == std::vector<std::uint64_t>{10, 0, 0, 10});
  t.add(2.1, 10, 9);  // bin 4 of 0.5 s does not fit: bins of 1 s
  CHECK(t.bin_seconds() == 1.0);
  CHECK(t.unique() == std::vector<std::uint64_t>{10, 10, 10});
  CHECK(t.hits() == std::vector<std::uint64_t>{1, 5, 9});
  t.add(100.0, 1, 1);  // far beyond: doubles until it fits (1 s -> 32 s)
  CHECK(t.bin_seconds() == 32.0);
  CHECK(t.unique() == std::vector<std::uint64_t>{30, 0, 0, 1});
  CHECK_THROWS_AS(HitRateTimeline(0.0), std::invalid_argument);
}

TEST_CASE("parameter server: a key trace replayed by every table", "[ps]") {
  TempDir dir;
  // Keys 0..9 over and over: a query of one item asks each table 80 keys, 10 of them unique; the
  // second query finds all 10 cached in each of the 8 tables.
  std::string keys = "key\n";
  for (int i = 0; i < 10; ++i) keys += std::to_string(i) + "\n";
  auto doc = cache_document(dir, query_trace(dir, 2, 100.0, 1), {{"fraction", 0.01},
                                        {"keys", {{"distribution", "trace"}, {"file", dir.write("keys.csv", keys)}}}});
  doc["run"] = {{"warmup_queries", 1}};
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  const CacheCounters& c = r.embedding_cache->counters;
  CHECK(c.lookups == 8 * 80);
  CHECK(c.unique == 8 * 10);
  CHECK(c.hits == 8 * 10);

  doc["service"]["embedding_cache"]["keys"]["file"] = dir.write("bad.csv", "1\n4000000\n");
  CHECK(scenario_error(doc, dir.path()) == dir.file("bad.csv") + ":2: key 4000000 is outside the table's rows [0, 4000000)");
  doc["service"]["embedding_cache"]["mode"] = "analytic";
  CHECK(scenario_error(doc, dir.path()) ==
        "service.embedding_cache.keys.distribution: the analytic mode needs a Zipf or uniform popularity, not a key trace");
}

TEST_CASE("parameter server: scenario keys of the tiers, refresh and updates are checked", "[ps]") {
  TempDir dir;
  auto doc = cache_document(dir, query_trace(dir, 1, 0, 10), {{"fraction", 0.01}, {"keys", {{"distribution", "uniform"}}}});
  CHECK(scenario_error(doc, dir.path()) == "valid");
  const auto with = [&](const nlohmann::json& patch) {
    auto d = doc;
    d["service"]["embedding_cache"].merge_patch(patch);
    return scenario_error(d, dir.path());
  };
  CHECK(with({{"volatile_tier", "redis"}}) == "service.embedding_cache.redis: required key is missing");
  CHECK(with({{"redis", {{"gb_per_s", 1}, {"latency_us", 1}}}}) ==
        "service.embedding_cache.redis: a Redis link needs \"volatile_tier\": \"redis\"");
  CHECK(with({{"mode", "exact"}}) == "service.embedding_cache.mode: expected one of \"keys\", \"analytic\", got \"exact\"");
  CHECK(with({{"mode", "analytic"}, {"updates", {{"keys_per_s", 10}}}}) ==
        "service.embedding_cache.updates: online updates need \"mode\": \"keys\" (staleness is tracked per cached key)");
  CHECK(with({{"volatile_fraction", 0.5}, {"persistent", {{"fraction", 0.4}, {"read_gb_per_s", 1}, {"write_gb_per_s", 1}}}}) ==
        "service.embedding_cache.persistent.fraction: must be at least volatile_fraction: the persistent tier holds every row the "
        "volatile tier does");
  CHECK(with({{"refresh", {{"interval_ms", 10}, {"share", 1.5}}}}).rfind("service.embedding_cache.refresh.share:", 0) == 0);
  CHECK(with({{"updates", {{"keys_per_s", 10}, {"outages", {{{"server", "server-1"}, {"from_s", 1}, {"until_s", 2}}}}}}}) ==
        "service.embedding_cache.updates.outages.0.server: no server is named \"server-1\" (servers are named <group>-<index>, "
        "e.g. \"server-0\")");
  CHECK(with({{"updates", {{"keys_per_s", 10}, {"outages", {{{"server", "server-0"}, {"from_s", 2}, {"until_s", 2}}}}}}}) ==
        "service.embedding_cache.updates.outages.0.until_s: must be after from_s");
  CHECK(with({{"updates", {{"keys_per_s", 10},
                            {"outages", {{{"server", "server-0"}, {"from_s", 1}, {"until_s", 3}},
                                         {{"server", "server-0"}, {"from_s", 2}, {"until_s", 4}}}}}}}) ==
        "service.embedding_cache.updates.outages.1: overlaps outage 0 of the same server");
  auto cpu_only = doc;
  cpu_only["platform"]["servers"].push_back({{"name", "cpu"}, {"cpu_cores", 2}});
  cpu_only["service"]["embedding_cache"]["updates"] = {{"keys_per_s", 10}, {"outages", {{{"server", "cpu-0"}, {"from_s", 1}, {"until_s", 2}}}}};
  CHECK(scenario_error(cpu_only, dir.path()) ==
        "service.embedding_cache.updates.outages.0.server: \"cpu-0\" has no GPU, so no update consumer to stop");
  // Queries too large to draw key by key.
  auto huge = doc;
  huge["workload"] = {{"arrival", {{"process", "poisson"}, {"qps", 1}}}, {"query_size", {{"distribution", "fixed"}, {"value", 4000000}}}};
  huge["run"] = {{"queries", 10}};
  CHECK(scenario_error(huge, dir.path()) == "service.embedding_cache.mode: queries of up to 4000000 items ask up to 320000000 keys "
                                            "of one table, more than the key-level mode draws (2^28): use \"analytic\"");
  huge["service"]["embedding_cache"]["mode"] = "analytic";
  CHECK(scenario_error(huge, dir.path()) == "valid");
  auto huge_trace = doc;  // the largest query of a query trace is known once the trace is read
  huge_trace["workload"]["arrival"]["file"] = dir.write("huge.csv", "0,10\n1,4000000\n");
  CHECK(scenario_error(huge_trace, dir.path()) == "service.embedding_cache.mode: queries of up to 4000000 items ask up to "
                                                  "320000000 keys of one table, more than the key-level mode draws (2^28): use \"analytic\"");
  // An update slice larger than a consumer's batch.
  CHECK(with({{"updates", {{"keys_per_s", 1e6}, {"tick_ms", 10}}}}) ==
        "service.embedding_cache.updates.tick_ms: a slice holds 80000 updates of all tables on average (keys_per_s x tick x 8 "
        "tables), more than a consumer applies at once (65536): lower tick_ms");
  // Updates need the tiers' write times.
  auto old_profile = nlohmann::json::parse(read_file(linear_tier_profile(dir)));
  old_profile["tiers"]["host_hash_map"].erase("write_dims");
  const auto old_path = dir.write_json("old-tiers.json", old_profile);
  CHECK(with({{"tier_profile", old_path}, {"updates", {{"keys_per_s", 10}}}}) ==
        "service.embedding_cache.tier_profile: the tier profile has no write timings for tier \"host_hash_map\", which online "
        "updates need");
}

TEST_CASE("model definitions and table rows are scenario inputs, checked and recorded", "[ps][models]") {
  TempDir dir;
  const auto trace = query_trace(dir, 1, 0, 100);
  auto shipped = nlohmann::json::parse(std::ifstream(model_file("dlrm-rmc1")));

  // Without a model_file the shipped definition is read, and the results say which file.
  const auto plain = simulate_isolated(scenario_from(gpu_document(dir, trace, 1, "gpu-only"), dir.path()));
  CHECK(plain.service_model_file == model_file("dlrm-rmc1"));
  CHECK(plain.service_table_rows.empty());

  // A definition of the scenario's own: twice the dense features, so the upload carries 1,024
  // more bytes per item (3,072 + 1,024 = 4,096 over the 1 GB/s link).
  auto wide = shipped;
  wide["dense_features"] = 2 * shipped["dense_features"].get<int>();
  dir.write_json("rmc1-wide.json", wide);
  auto doc = gpu_document(dir, trace, 1, "gpu-only");
  doc["service"]["model_file"] = "rmc1-wide.json";
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(r.service_model_file.size() > 15);
  CHECK(r.service_model_file.substr(r.service_model_file.size() - 15) == "/rmc1-wide.json");
  const double extra_ms = 100.0 * 4 * shipped["dense_features"].get<int>() / 1e6;
  CHECK(r.latency_ms->max == Approx(kLoneMs + extra_ms).epsilon(1e-6));

  auto other = shipped;
  other["name"] = "dlrm-rmc2";
  dir.write_json("other.json", other);
  doc["service"]["model_file"] = "other.json";
  CHECK(scenario_error(doc, dir.path()) == "service.model_file: defines model \"dlrm-rmc2\", but service.model is \"dlrm-rmc1\"");
  doc["service"]["model_file"] = "missing.json";
  CHECK(scenario_error(doc, dir.path()).rfind("service.model_file: ", 0) == 0);

  // Table rows: one count for every table, or one per table; recorded; only with the cache.
  auto cached = cache_document(dir, trace, {{"fraction", 0.001}, {"keys", {{"distribution", "uniform"}}}});
  cached["service"]["table_rows"] = 188000000;
  const auto big = simulate_isolated(scenario_from(cached, dir.path()));
  CHECK(big.service_table_rows == std::vector<std::int64_t>(8, 188000000));
  // The rows are the cache's: half of eight 188M-row tables would not fit the memory limit.
  auto half = cached;
  half["service"]["embedding_cache"]["fraction"] = 0.5;
  CHECK(scenario_error(half, dir.path()).rfind("service.embedding_cache.fraction: the caches of all GPUs would take 8.4 GiB", 0) == 0);
  cached["service"]["table_rows"] = {1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000};
  CHECK(scenario_error(cached, dir.path()) == "valid");
  cached["service"]["table_rows"] = {1000, 2000};
  CHECK(scenario_error(cached, dir.path()) ==
        "service.table_rows: expected one row count per table: the model has 8 tables, the array 2 values");
  cached["service"]["table_rows"] = {1000, 2000, 3000, 0, 5000, 6000, 7000, 8000};
  CHECK(scenario_error(cached, dir.path()) == "service.table_rows.3: expected an integer number of rows in [1, 2^40]");
  cached["service"]["table_rows"] = 1.5;
  CHECK(scenario_error(cached, dir.path()) == "service.table_rows: expected an integer number of rows in [1, 2^40]");
  doc = gpu_document(dir, trace, 1, "gpu-only");
  doc["service"]["table_rows"] = 1000;
  CHECK(scenario_error(doc, dir.path()) ==
        "service.table_rows: table rows matter only to the embedding cache: add service.embedding_cache or remove it");
  doc["service"].erase("gpu_profile");
  doc["scheduler"]["policy"] = "static";
  CHECK(scenario_error(doc, dir.path()) == "service.table_rows: the model's definition is read only for GPU offload: it needs service.gpu_profile");
}

namespace {

// Format 2: one kind of 4 cores and a GPU whose `gib` GiB of cache memory two models share ("a" and
// "b", both DLRM-RMC1's definition: 8 tables of 4,000,000 rows of 32 floats), every query offloaded,
// uniform keys, caches preloaded; `extra` kinds and groups may be added by the caller.
nlohmann::json fleet_cache_document(const TempDir& dir, double gib, double share_a, double share_b) {
  dir.write_json("cpu.json", flat_profile("cpu", 1.0, false));
  dir.write_json("gpu.json", flat_profile("gpu", 1.0, true));
  const std::string tiers = linear_tier_profile(dir);
  const auto model = [&](const std::string& name, double share) {
    return nlohmann::json{{"name", name},
                          {"share", 0.5},
                          {"service", {{"type", "model"}, {"model", "dlrm-rmc1"}, {"contention", false},
                                       {"embedding_cache", {{"gpu_memory_share", share}, {"keys", {{"distribution", "uniform"}}},
                                                            {"preload", true}, {"tier_profile", tiers}}}}},
                          {"scheduler", {{"policy", "gpu-only"}, {"batch_size", 16}}},
                          {"sla", {{"percentile", 95}, {"target_ms", 1000}}}};
  };
  return {{"format", 2},
          {"name", "cached-fleet"},
          {"seed", 4},
          {"server_kinds", {{{"name", "gpu"}, {"cpu_cores", 4}, {"gpus", 1}, {"pcie", {{"gb_per_s", 1.0}, {"latency_us", 10.0}}},
                             {"cpu_profile", "cpu.json"}, {"gpu_profile", "gpu.json"}, {"embedding_cache_gib", gib}}}},
          {"server_groups", {{{"name", "g"}, {"kind", "gpu"}, {"count", 2}}}},
          {"workload", {{"arrival", {{"process", "trace"}, {"file", query_trace(dir, 300, 2.0, 16)}}}}},
          {"models", {model("a", share_a), model("b", share_b)}},
          {"balancer", {{"policy", "round_robin"}}},
          {"run", {{"queries", 300}, {"warmup_queries", 30}}}};
}

}  // namespace

TEST_CASE("parameter server in a fleet: each model's cache takes its share of the GPU's memory, and more for one is less for the other", "[ps][datacenter]") {
  TempDir dir;
  // 1 GiB of cache memory per GPU; a model's tables hold 8 x 4,000,000 x 32 x 4 bytes = 4.096e9:
  // a share s caches the fraction s x 2^30 / 4.096e9 of every table's rows.
  const double table_bytes = 8 * 4e6 * 32 * 4;
  const auto hit_rates = [&](double share_a, double share_b) {
    const Scenario s = scenario_from(fleet_cache_document(dir, 1.0, share_a, share_b), dir.path());
    REQUIRE(s.fleet.embedding_cache(0, 0));
    CHECK(s.fleet.embedding_cache(0, 0)->fraction == Approx(share_a * 1073741824.0 / table_bytes).epsilon(1e-12));
    CHECK(s.fleet.embedding_cache(1, 0)->fraction == Approx(share_b * 1073741824.0 / table_bytes).epsilon(1e-12));
    const RunResults r = simulate_isolated(s);
    REQUIRE(r.datacenter);
    std::vector<double> rates;
    for (const auto& m : r.datacenter->models) {
      REQUIRE(m.embedding_cache);
      const CacheCounters& c = m.embedding_cache->counters;
      REQUIRE(c.unique > 100000);
      rates.push_back(ratio(c.hits, c.unique));
    }
    // Each group reports each model's hit rate on its GPUs: here one group holds every GPU.
    REQUIRE(r.datacenter->groups[0].cache_hit_rates.size() == 2);
    CHECK(r.datacenter->groups[0].cache_hit_rates[0].second == Approx(rates[0]).epsilon(1e-12));
    CHECK(r.datacenter->groups[0].cache_hit_rates[1].first == "b");
    // And the mean of its GPUs' waits on the lower tiers.
    REQUIRE(r.datacenter->groups[0].gpu_tier_wait);
    CHECK(*r.datacenter->groups[0].gpu_tier_wait == Approx((r.servers[0].gpus[0].tier_wait + r.servers[1].gpus[0].tier_wait) / 2));
    CHECK(*r.datacenter->groups[0].gpu_tier_wait > 0.0);
    // The results JSON carries them and reads back the same.
    const auto j = results_to_json(r);
    CHECK(j["datacenter"]["models"][1]["embedding_cache"]["hit_rate"].get<double>() == Approx(rates[1]));
    CHECK(results_from_json(nlohmann::json::parse(j.dump())).datacenter->groups[0].cache_hit_rates == r.datacenter->groups[0].cache_hit_rates);
    return rates;
  };
  // Uniform keys over a cache kept full: a key is cached with probability capacity / rows, the
  // fraction (whole sets of 64 slots: within 1e-4 of it here), whatever the policy.
  const auto low_a = hit_rates(0.25, 0.75), high_a = hit_rates(0.75, 0.25);
  const double f25 = 0.25 * 1073741824.0 / table_bytes, f75 = 0.75 * 1073741824.0 / table_bytes;
  CHECK(low_a[0] == Approx(f25).margin(0.005));
  CHECK(low_a[1] == Approx(f75).margin(0.005));
  CHECK(high_a[0] == Approx(f75).margin(0.005));
  CHECK(high_a[1] == Approx(f25).margin(0.005));
  CHECK(high_a[0] > low_a[0]);  // more memory for a: a hits more
  CHECK(high_a[1] < low_a[1]);  // and b less
}

TEST_CASE("parameter server in a fleet: the scenario's keys are checked", "[ps][datacenter]") {
  TempDir dir;
  auto doc = fleet_cache_document(dir, 1.0, 0.5, 0.5);
  {
    auto d = doc;
    d["models"][1]["service"]["embedding_cache"]["gpu_memory_share"] = 0.6;
    CHECK(scenario_error(d, dir.path()) ==
          "models.1.service.embedding_cache.gpu_memory_share: the shares of server kind \"gpu\"'s cache memory on group \"g\" reach 1.1 "
          "with this model's, more than 1");
    // Models on different groups of one kind do not share their GPUs.
    d["server_groups"].push_back({{"name", "h"}, {"kind", "gpu"}, {"count", 1}});
    d["models"][0]["groups"] = {"g"};
    d["models"][1]["groups"] = {"h"};
    const Scenario apart = scenario_from(d, dir.path());
    CHECK(apart.fleet.embedding_cache_on_group(0, 0) != nullptr);
    CHECK(apart.fleet.embedding_cache_on_group(0, 1) == nullptr);
    CHECK(apart.fleet.embedding_cache_on_group(1, 1) != nullptr);
  }
  {
    auto d = doc;
    d["server_kinds"][0].erase("embedding_cache_gib");
    CHECK(scenario_error(d, dir.path()) == "server_kinds.0.embedding_cache_gib: required: model \"a\" keeps an embedding cache on this kind's GPUs");
  }
  {
    auto d = doc;
    d["models"][0]["service"]["embedding_cache"]["fraction"] = 0.1;
    CHECK(scenario_error(d, dir.path()) ==
          "models.0.service.embedding_cache.fraction: in format 2 a model's cache is sized by gpu_memory_share of its kind's embedding_cache_gib");
    d["models"][0]["service"]["embedding_cache"].erase("gpu_memory_share");
    d["models"][0]["service"]["embedding_cache"].erase("fraction");
    CHECK(scenario_error(d, dir.path()) == "models.0.service.embedding_cache.gpu_memory_share: required in format 2");
  }
  {
    auto d = doc;
    d["models"][0]["service"]["embedding_cache"]["volatile_tier"] = "redis";
    CHECK(scenario_error(d, dir.path()) == "models.0.service.embedding_cache.volatile_tier: Redis is simulated in format-1 scenarios only "
                                           "(one cluster for one model): use \"host_hash_map\"");
  }
  {
    auto d = doc;
    d["models"][0]["service"]["embedding_cache"]["persistent"] = {{"read_gb_per_s", 1.0}, {"write_gb_per_s", 0.5}};
    d["models"][1]["service"]["embedding_cache"]["persistent"] = {{"read_gb_per_s", 2.0}, {"write_gb_per_s", 0.5}};
    CHECK(scenario_error(d, dir.path()) == "models.1.service.embedding_cache.persistent: the models' persistent tiers on server group \"g\" "
                                           "share each server's SSD: give them the same read_gb_per_s and write_gb_per_s");
  }
  {
    // A kind without GPUs hosting a cached model keeps no cache of it, and needs no cache memory.
    auto d = doc;
    d["server_kinds"].push_back({{"name", "cpu"}, {"cpu_cores", 4}, {"cpu_profile", "cpu.json"}});
    d["server_groups"].push_back({{"name", "c"}, {"kind", "cpu"}, {"count", 1}});
    d["models"][0]["scheduler_by_kind"] = {{"cpu", {{"policy", "static"}, {"batch_size", 16}}}};
    d["models"][1]["groups"] = {"g"};
    const Scenario s = scenario_from(d, dir.path());
    CHECK(s.fleet.embedding_cache(0, 0) != nullptr);
    CHECK(s.fleet.embedding_cache(0, 1) == nullptr);
    d["server_kinds"][1]["embedding_cache_gib"] = 1;
    CHECK(scenario_error(d, dir.path()) == "server_kinds.1.embedding_cache_gib: a server kind without GPUs has none: set \"gpus\" >= 1 or remove it");
    // A model cached on no kind with GPUs is refused, not ignored.
    d["server_kinds"][1].erase("embedding_cache_gib");
    d["models"][0]["groups"] = {"c"};
    d["models"][0].erase("scheduler_by_kind");
    d["models"][0]["scheduler"] = {{"policy", "static"}, {"batch_size", 16}};
    CHECK(scenario_error(d, dir.path()) == "models.0.service.embedding_cache: no server kind hosting model \"a\" has GPUs and a gpu_profile: "
                                           "the cache serves offloaded queries");
  }
  // Format 1 sizes its one cache by fraction.
  auto single = cache_document(dir, query_trace(dir, 1, 0, 100), {{"gpu_memory_share", 0.5}, {"keys", {{"distribution", "uniform"}}}});
  CHECK(scenario_error(single, dir.path()) == "service.embedding_cache.gpu_memory_share: format 2 only (a fleet's models share each GPU's cache "
                                              "memory): give \"fraction\", the share of each table's rows");
}
