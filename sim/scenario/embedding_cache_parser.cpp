// The embedding cache's keys (service.embedding_cache, docs/parameter-server.md), declared once and
// read through their declarations.
#include "sim/scenario/embedding_cache_parser.h"

#include "kernels/profiles/tier_profile.h"
#include "sim/ps/embedding_cache.h"
#include "sim/ps/table_fetch.h"
#include "sim/ps/update_stream.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_sections.h"
#include "workloads/input_error.h"
#include "workloads/key_trace.h"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace recsim {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
using T = KeyDecl::Type;

}  // namespace

const std::vector<KeySection>& embedding_cache_key_sections() {
  static const std::vector<KeySection> sections = {
      {"embedding_cache", "HugeCTR HPS's hierarchy for offloaded queries (docs/parameter-server.md): one GPU cache per embedding table of the model per GPU, over a volatile tier, over an optional persistent tier. Each query's keys (items × the table's lookups per item, deduplicated) are looked up; a table lookup whose hit rate is below `hit_rate_threshold` waits for its misses (read from the lower tiers, then the vectors over the GPU's PCIe link, before the query's inputs); at or above it, the misses get the default vector (counted) and are fetched in the background. Results: `embedding_cache`",
       {
           {.type = T::choice, .name = "mode", .required = false, .fallback = "keys", .choices = {"keys", "analytic"}, .help = "`\"keys\"`: every key drawn and looked up in the set-associative cache (exact, cold start included, about 0.1 µs per key); `\"analytic\"`: Che's approximation of the cache in steady state (no cold start; 18–25× faster runs in docs/parameter-server.md's sweep, for sweeps)"},
           {.name = "fraction", .required = false, .lo = 0.0, .hi = 1.0, .lo_open = true, .help = "cache capacity as a fraction of each table's rows (at least 64 entries, in whole sets of 64); in key mode the simulator keeps 12 bytes per entry per GPU and refuses more than 8 GiB in all, and refuses workloads whose largest query asks more than 2^28 keys of one table", .when = "required in format 1; refused in format 2 (`gpu_memory_share`)"},
           {.name = "gpu_memory_share", .required = false, .lo = 0.0, .hi = 1.0, .lo_open = true, .help = "format 2: the model's share of each GPU's embedding-cache memory on every kind hosting it (`server_kinds.N.embedding_cache_gib`); every table of the model keeps the same fraction of its rows, share × that memory / the tables' bytes (rows × dim × 4), at most 1. The shares of the models a kind hosts sum to at most 1", .when = "required in format 2; refused in format 1 (`fraction`)"},
           {.name = "hit_rate_threshold", .required = false, .lo = 0.0, .hi = 10.0, .fallback = 0.9, .help = "HPS's threshold between synchronous and asynchronous insertion; above 1: always synchronous; 0: always asynchronous"},
           {.type = T::boolean, .name = "preload", .required = false, .fallback = false, .help = "start each cache full of its table's hottest keys instead of empty (HPS starts empty; key mode only: the analytic mode is steady state anyway)"},
           {.type = T::object, .name = "keys", .help = "how keys are drawn", .section = "embedding_cache_keys"},
           {.type = T::file, .name = "tier_profile", .help = "lookup (and write) time of each tier against the number of keys", .also = "a tier profile (`recsim calibrate --tiers`) with every tier used at every table's dimension; with `updates`, their write times too"},
           {.type = T::choice, .name = "volatile_tier", .required = false, .fallback = "host_hash_map", .choices = {"host_hash_map", "redis"}, .help = "the volatile tier: abseil's hash map in each server's memory, or a Redis cluster on its own node reached over a network link"},
           {.name = "volatile_fraction", .required = false, .lo = 0.0, .hi = 1.0, .lo_open = true, .fallback = 1.0, .help = "share of each table's rows the volatile tier holds, the hottest ones (its steady state under HPS's evict_least_used overflow policy); 1: the whole table, as HPS loads a model that fits in host memory"},
           {.type = T::object, .name = "redis", .required = false, .help = "the Redis deployment, shared by all servers", .when = "required with `\"redis\"`, refused otherwise", .section = "redis"},
           {.type = T::object, .name = "persistent", .required = false, .help = "RocksDB on each server's SSD (a SimGrid disk); absent: keys the volatile tier lacks are answered with the default vector", .section = "persistent_tier"},
           {.type = T::object, .name = "refresh", .required = false, .help = "HPS's periodic refresh: absent, cached copies are never re-read (updates never reach the GPUs)", .section = "cache_refresh"},
           {.type = T::object, .name = "updates", .required = false, .help = "online embedding updates from training, consumed by every server with GPUs", .also = "key mode only", .section = "updates"},
           {.name = "timeline_ms", .required = false, .lo = 1e-3, .hi = 1e9, .fallback = 10.0, .unit = "ms", .help = "first bin width of the hit-rate timeline; bins double in width to keep at most 256"},
       }},
      {"embedding_cache_keys", "key popularity over each table's rows",
       {
           {.type = T::choice, .name = "distribution", .choices = {"zipf", "uniform", "trace"}, .help = "key popularity over each table's rows (Zipf ranks scattered over the rows by a per-table permutation; a trace: every table, every GPU and every update stream replays the file from its start, and its empirical distribution ranks the keys for the tiers); online updates draw their keys from the same popularity", .also = "`\"trace\"`: key mode only"},
           {.type = T::file, .name = "file", .required = false, .help = "the key trace; read once by the parser and replayed by every table of every GPU and server with a cursor of its own (in memory: 8 bytes per lookup and about 80 per distinct key, counted in the resource estimate)", .when = "required with `\"trace\"`", .also = "one key per line, each below every table's row count (optional header, `#` comments)"},
           {.name = "alpha", .required = false, .lo = 0.0, .hi = 10.0, .lo_open = true, .help = "the Zipf exponent", .when = "required with `\"zipf\"`"},
       }},
      {"redis", "the Redis deployment, shared by all servers",
       {
           {.type = T::integer, .name = "nodes", .required = false, .lo = 1, .hi = 4096, .fallback = 1, .help = "single-threaded Redis nodes; a batch's keys hash evenly over them and they work in parallel"},
           {.name = "gb_per_s", .lo = 1e-3, .hi = 1e6, .unit = "GB/s", .help = "the Redis cluster's network link, each direction (full duplex); every server's traffic to any node shares it"},
           {.name = "latency_us", .lo = 0.0, .hi = 1e6, .unit = "µs", .help = "that link's latency"},
       }},
      {"persistent_tier", "RocksDB on each server's SSD (a SimGrid disk); absent: keys the volatile tier lacks are answered with the default vector",
       {
           {.name = "fraction", .required = false, .lo = 0.0, .hi = 1.0, .lo_open = true, .fallback = 1.0, .help = "share of each table's rows it holds, the hottest ones (the rows ever trained); keys beyond are found nowhere: default vector", .also = "at least `volatile_fraction`"},
           {.name = "read_gb_per_s", .lo = 1e-3, .hi = 1e6, .unit = "GB/s", .help = "the SSD's read bandwidth"},
           {.name = "write_gb_per_s", .lo = 1e-3, .hi = 1e6, .unit = "GB/s", .help = "the SSD's write bandwidth"},
           {.type = T::integer, .name = "block_bytes", .required = false, .lo = 1, .hi = 1073741824, .fallback = 4096, .unit = "bytes", .help = "read from the SSD per key found there (one block per point lookup)"},
       }},
      {"cache_refresh", "HPS's periodic refresh: absent, cached copies are never re-read (updates never reach the GPUs)",
       {
           {.name = "interval_ms", .lo = 0.1, .hi = 1e9, .unit = "ms", .help = "time between passes (a pass starts `interval_ms` after the previous one ended)"},
           {.name = "share", .lo = 0.0, .hi = 1.0, .lo_open = true, .help = "share of each cache's sets re-read per pass, in rotation"},
       }},
      {"updates", "online embedding updates from training, consumed by every server with GPUs",
       {
           {.name = "keys_per_s", .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "keys/s", .help = "Poisson rate of published updates, per table (one stream, read by every server's consumer)"},
           {.name = "tick_ms", .required = false, .lo = 0.1, .hi = 1e9, .fallback = 10.0, .unit = "ms", .help = "how often a server's consumer polls for what was published", .also = "`keys_per_s` × tick × the model's table count at most 65,536"},
           {.type = T::array, .name = "outages", .required = false, .fallback = nlohmann::json::array(), .help = "periods when a server's update consumer is down: updates accumulate and are applied when it returns, the batch applied last before going down again (at-least-once)", .section = "outage", .items = "object"},
       }},
      {"outage", "a period when a server's update consumer is down",
       {
           {.type = T::string, .name = "server", .help = "whose consumer is down", .also = "a server's name, `<group>-<index>`, of a group with GPUs"},
           {.name = "from_s", .lo = 0.0, .hi = kInf, .unit = "s", .help = "virtual time the consumer goes down", .also = "no overlap with another outage of the same server"},
           {.name = "until_s", .lo = 0.0, .hi = kInf, .unit = "s", .help = "virtual time the consumer comes back", .also = "> `from_s`"},
       }},
  };
  return sections;
}

namespace {

// The curve of `tier` at every dimension of the model's tables, or an error at `where` naming what
// the profile lacks.
std::map<int, LatencyCurve> tier_curves(const TierProfile& tiers, const std::string& tier, bool writes,
                                        const std::vector<EmbeddingTableSpec>& tables, const std::string& where,
                                        const char* why) {
  std::map<int, LatencyCurve> curves;
  for (const auto& t : tables) {
    try {
      curves.emplace(t.dim, writes ? tiers.write_curve(tier, t.dim) : tiers.curve(tier, t.dim));
    } catch (const std::out_of_range& e) {
      throw InputError(where, std::string(e.what()) + ", which " + why);
    }
  }
  return curves;
}

}  // namespace

EmbeddingCacheSpec parse_embedding_cache(JsonReader cache, const ModelSpec& model, const std::string& base_dir) {
  const auto& sections = embedding_cache_key_sections();
  const KeySection &top = sections[0], &key_keys = sections[1], &redis_keys = sections[2], &tier_keys = sections[3],
                   &refresh_keys = sections[4], &update_keys = sections[5], &outage_keys = sections[6];
  EmbeddingCacheSpec spec;
  spec.mode = read_choice(cache, top.key("mode")) == "keys" ? EmbeddingCacheSpec::Mode::keys
                                                                               : EmbeddingCacheSpec::Mode::analytic;
  if (cache.has("fraction") && cache.has("gpu_memory_share"))
    throw InputError(cache.child_path("gpu_memory_share"), "give fraction (format 1) or gpu_memory_share (format 2), not both");
  if (cache.has("gpu_memory_share")) {
    spec.gpu_memory_share = read_number(cache, top.key("gpu_memory_share"));
  } else {
    KeyDecl fraction = top.key("fraction");
    fraction.required = true;
    spec.fraction = read_number(cache, fraction);
  }
  spec.hit_rate_threshold = read_number(cache, top.key("hit_rate_threshold"));
  spec.preload = read_boolean(cache, top.key("preload"));
  JsonReader keys = cache.object("keys");
  const std::string distribution = read_choice(keys, key_keys.key("distribution"));
  if (distribution == "zipf") spec.zipf_alpha = read_number(keys, key_keys.key("alpha"));
  if (distribution == "trace") {
    if (spec.mode == EmbeddingCacheSpec::Mode::analytic)
      throw InputError(keys.child_path("distribution"), "the analytic mode needs a Zipf or uniform popularity, not a key trace");
    spec.key_trace_file = read_input_file(keys, "file", base_dir);
  }
  keys.finish();
  const std::string where = cache.child_path("tier_profile");
  spec.tier_profile_file = read_input_file(cache, "tier_profile", base_dir);
  spec.volatile_tier = read_choice(cache, top.key("volatile_tier"));
  spec.volatile_fraction = read_number(cache, top.key("volatile_fraction"));
  if (spec.volatile_tier == "redis") {
    JsonReader redis = cache.object("redis");
    RedisSpec r;
    r.nodes = static_cast<int>(read_integer(redis, redis_keys.key("nodes")));
    r.bytes_per_s = read_number(redis, redis_keys.key("gb_per_s")) * 1e9;
    r.latency_s = read_number(redis, redis_keys.key("latency_us")) * 1e-6;
    redis.finish();
    spec.redis = r;
  } else if (cache.has("redis")) {
    throw InputError(cache.child_path("redis"), "a Redis link needs \"volatile_tier\": \"redis\"");
  }
  if (cache.has("persistent")) {
    JsonReader p = cache.object("persistent");
    PersistentTierSpec t;
    t.fraction = read_number(p, tier_keys.key("fraction"));
    t.read_bytes_per_s = read_number(p, tier_keys.key("read_gb_per_s")) * 1e9;
    t.write_bytes_per_s = read_number(p, tier_keys.key("write_gb_per_s")) * 1e9;
    t.block_bytes = static_cast<std::uint64_t>(read_integer(p, tier_keys.key("block_bytes")));
    p.finish();
    if (t.fraction < spec.volatile_fraction)
      throw InputError(cache.child_path("persistent") + ".fraction",
                       "must be at least volatile_fraction: the persistent tier holds every row the volatile tier does");
    spec.persistent = t;
  }
  if (cache.has("refresh")) {
    JsonReader r = cache.object("refresh");
    const double interval_s = read_number(r, refresh_keys.key("interval_ms")) / 1e3;
    spec.refresh = CacheRefreshSpec{interval_s, read_number(r, refresh_keys.key("share"))};
    r.finish();
  }
  if (cache.has("updates")) {
    const std::string updates_path = cache.child_path("updates");
    if (spec.mode != EmbeddingCacheSpec::Mode::keys)
      throw InputError(updates_path, "online updates need \"mode\": \"keys\" (staleness is tracked per cached key)");
    JsonReader u = cache.object("updates");
    UpdateStreamSpec stream;
    stream.keys_per_s = read_number(u, update_keys.key("keys_per_s"));
    stream.tick_s = read_number(u, update_keys.key("tick_ms")) / 1e3;
    if (u.has("outages")) {
      const auto& outages = u.array("outages");
      const std::string outages_path = u.child_path("outages");
      for (std::size_t i = 0; i < outages.size(); ++i) {
        JsonReader o(outages[i], outages_path + "." + std::to_string(i));
        UpdateOutage outage;
        outage.server = read_string(o, outage_keys.key("server"));
        outage.from_s = read_number(o, outage_keys.key("from_s"));
        outage.until_s = read_number(o, outage_keys.key("until_s"));
        if (!(outage.until_s > outage.from_s)) throw InputError(o.child_path("until_s"), "must be after from_s");
        o.finish();
        stream.outages.push_back(outage);
      }
    }
    u.finish();
    spec.updates = stream;
  }
  spec.timeline_bin_s = read_number(cache, top.key("timeline_ms")) / 1e3;
  cache.finish();

  for (const auto& t : model.expanded_tables()) spec.tables.push_back({t.rows, t.dim, t.lookups});
  if (!spec.key_trace_file.empty()) {  // every key must fit every table (errors name file:line)
    std::int64_t rows = spec.tables.front().rows;
    for (const auto& t : spec.tables) rows = std::min(rows, t.rows);
    spec.key_trace = load_key_trace(spec.key_trace_file);
    TraceKeys check(spec.key_trace, static_cast<std::uint64_t>(rows));
  }
  const TierProfile tiers = load_tier_profile(spec.tier_profile_file);
  spec.fetch_curves = tier_curves(tiers, spec.volatile_tier, false, spec.tables, where, "the model's tables need");
  if (spec.persistent)
    spec.persistent_fetch_curves = tier_curves(tiers, "rocksdb", false, spec.tables, where, "the persistent tier needs");
  if (spec.updates) {
    spec.volatile_write_curves = tier_curves(tiers, spec.volatile_tier, true, spec.tables, where, "online updates need");
    if (spec.persistent)
      spec.persistent_write_curves = tier_curves(tiers, "rocksdb", true, spec.tables, where, "online updates need");
  }
  return spec;
}


// The checks of service.embedding_cache that need the rest of the scenario: every (model, kind)'s
// cache (format 1: the one), errors naming the model's keys.
void check_embedding_cache(const Scenario& s) {
  const auto key = [&](std::size_t m, const std::string& rest) {
    return (s.format >= 2 ? "models." + std::to_string(m) + ".service.embedding_cache." : std::string("service.embedding_cache.")) + rest;
  };
  // Each GPU holds its own caches, of every model offloaded to it.
  const double bytes = embedding_cache_bytes(s);
  constexpr double kMaxCacheBytes = 8.0 * 1024 * 1024 * 1024;
  if (bytes > kMaxCacheBytes) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "the caches of all GPUs would take %.1f GiB of the simulator's memory (at most 8 GiB): lower it, or use \"mode\": \"analytic\"",
                  bytes / (1024.0 * 1024 * 1024));
    std::size_t first = s.fleet.models.size();
    for (std::size_t m = s.fleet.models.size(); m-- > 0;)
      for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k)
        if (s.fleet.embedding_cache(m, k)) first = m;
    throw InputError(s.format >= 2 ? key(first, "gpu_memory_share") : "service.embedding_cache.fraction", buf);
  }
  for (std::size_t m = 0; m < s.fleet.models.size(); ++m)
    for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k) {
      const EmbeddingCacheSpec* found = s.fleet.embedding_cache(m, k);
      if (!found) continue;
      const EmbeddingCacheSpec& cache = *found;
      if (cache.mode == EmbeddingCacheSpec::Mode::keys) {
        int lookups = 0;
        for (const auto& t : cache.tables) lookups = std::max(lookups, t.lookups);
        if (const std::int64_t items = s.fleet.models[m].query_size.largest();
            static_cast<std::uint64_t>(items) * static_cast<std::uint64_t>(lookups) > kMaxKeysPerTableLookup)
          throw InputError(key(m, "mode"), "queries of up to " + std::to_string(items) + " items ask up to " + std::to_string(items * lookups) +
                                               " keys of one table, more than the key-level mode draws (2^28): use \"analytic\"");
      }
      if (!cache.updates) continue;
      if (const double slice = cache.updates->keys_per_s * cache.updates->tick_s * static_cast<double>(cache.tables.size());
          slice > kMaxUpdateBatchKeys) {
        char buf[240];
        std::snprintf(buf, sizeof buf,
                      "a slice holds %.0f updates of all tables on average (keys_per_s x tick x %zu tables), more than a consumer "
                      "applies at once (65536): lower tick_ms",
                      slice, cache.tables.size());
        throw InputError(key(m, "updates.tick_ms"), buf);
      }
      const auto& outages = cache.updates->outages;
      for (std::size_t i = 0; i < outages.size(); ++i) {
        const std::string where = key(m, "updates.outages." + std::to_string(i) + ".server");
        const ServerGroup* group = nullptr;
        for (const auto& g : s.fleet.groups)
          for (int c = 0; c < g.count; ++c)
            if (outages[i].server == g.name + "-" + std::to_string(c)) group = &g;
        if (!group)
          throw InputError(where, "no server is named \"" + outages[i].server + "\" (servers are named <group>-<index>, e.g. \"" +
                                      s.fleet.groups.front().name + "-0\")");
        if (group->gpus == 0) throw InputError(where, "\"" + outages[i].server + "\" has no GPU, so no update consumer to stop");
        if (!s.fleet.embedding_cache_on_group(m, static_cast<std::size_t>(group - s.fleet.groups.data())))
          throw InputError(where, "\"" + outages[i].server + "\" keeps no cache of this model, so no update consumer to stop");
        for (std::size_t j = 0; j < i; ++j)
          if (outages[j].server == outages[i].server && outages[j].from_s < outages[i].until_s && outages[i].from_s < outages[j].until_s)
            throw InputError(key(m, "updates.outages." + std::to_string(i)), "overlaps outage " + std::to_string(j) + " of the same server");
      }
    }
}

}  // namespace recsim
