#include "sim/scenario/resource_estimate.h"

#include "sim/provenance/host_info.h"
#include "sim/ps/embedding_cache.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scheduling/scheduler_policy.h"
#include "sim/search/stability_limit.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace recsim {
namespace {

// Measured with /usr/bin/time on 100 to 3,000 servers of 8 to 64 cores (docs/performance.md): about
// 40 MiB at start, 54-57 KiB per actor; 2,000 and 20,000 servers of 40 cores (scenarios/bench/
// datacenter.json): 11.5 KiB per server without a network, 13.1 with one.
constexpr double kBaseBytes = 40.0 * 1024 * 1024;
constexpr double kActorBytes = 56.0 * 1024;
constexpr double kHostBytes = 9.0 * 1024;  // a SimGrid host and its Server (random stream, per-core history)
constexpr double kLinkBytes = 2.0 * 1024;  // a split-duplex link and its place in the star zone's routes
constexpr double kSeriesWindowBytes = 128.0;     // a time-series window's counters (sim/metrics/time_series.h)
constexpr double kSeriesHistogramBytes = 4096.0;  // ... and each model's WindowHistogram
constexpr double kInFlightBytes = 256.0;  // a query slot and its requests' bookkeeping
constexpr double kCoreBytes = 64.0;       // a core's free time, busy time and its share of a server
constexpr double kHistogramBytes = 290.0 * 1024;  // a LatencyHistogram (35,000 bins of 8 bytes)
constexpr double kRunMetricsHistograms = 21;      // RunMetrics: the run's and its 20 batches'
// A placed request (32 bytes) in a heap that may have doubled, and its entry (24 bytes) in the list
// a lazy run's end drains (sim/engine/completion_flusher.h).
constexpr double kRequestBytes = 88.0;
constexpr double kKeyBytes = 8.0;        // a drawn embedding key
constexpr double kMaxRequests = 1e10;
constexpr double kMaxKeyLookups = 1e9;  // a key-level run draws 1.5-3 million keys a second
constexpr double kMaxPeriodicEvents = 1e9;
constexpr double kMaxTicks = 1e12;  // virtual time / tick beyond this: ticks closer than a double tells apart

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  return buf;
}

std::string count(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

// The batch size the request estimate assumes: the online climb's smallest.
int batch_of(const SchedulerSpec& scheduler) {
  return scheduler_policy(scheduler.policy).online ? (scheduler.online.batches.empty() ? 1 : scheduler.online.batches.front())
                                                   : scheduler.batch_size;
}

// One model's queries as the estimate sees them: their sizes, the smallest batch size any kind
// gives it, and its share of the arrivals.
struct ModelLoad {
  const QuerySizeSpec* sizes;
  int batch;
  double share;
};

std::vector<ModelLoad> model_loads(const Scenario& s) {
  std::vector<ModelLoad> out;
  for (const auto& m : s.fleet.models) {
    int batch = std::numeric_limits<int>::max();
    for (int g : m.groups) batch = std::min(batch, batch_of(m.scheduler[static_cast<std::size_t>(s.fleet.groups[static_cast<std::size_t>(g)].kind)]));
    out.push_back({&m.query_size, std::max(1, batch), m.share});
  }
  return out;
}

// The smallest batch size of any model on any kind hosting it.
int smallest_batch(const Scenario& s) {
  int batch = std::numeric_limits<int>::max();
  for (const auto& load : model_loads(s)) batch = std::min(batch, load.batch);
  return batch;
}

// The online policy's scheduler, if the fleet runs it (one model, every kind).
const SchedulerSpec* online_scheduler(const Scenario& s) {
  for (const auto& m : s.fleet.models)
    for (const auto& sched : m.scheduler)
      if (scheduler_policy(sched.policy).online) return &sched;
  return nullptr;
}

// A key of the parameter server's configuration as the scenario's format names it: format 1's
// service.embedding_cache, format 2's first model keeping a cache (gpu_memory_share for its size).
std::string model_cache_key(const Scenario& s, std::size_t model, std::string rest) {
  if (s.format < 2) return "service.embedding_cache." + rest;
  if (rest == "fraction") rest = "gpu_memory_share";
  return "models." + std::to_string(model) + ".service.embedding_cache." + rest;
}

std::string cache_key(const Scenario& s, std::string rest) {
  std::size_t first = 0;
  for (std::size_t m = s.fleet.models.size(); m-- > 0;)
    for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k)
      if (s.fleet.embedding_cache(m, k)) first = m;
  return model_cache_key(s, first, std::move(rest));
}

}  // namespace

double embedding_cache_bytes(const Scenario& s) {
  // Format 1: the one model's cache on every GPU (at least one); format 2: each (model, kind)'s on
  // each GPU of the kind.
  if (s.format < 2) {
    const EmbeddingCacheSpec* found = s.fleet.embedding_cache();
    if (!found || found->mode != EmbeddingCacheSpec::Mode::keys) return 0.0;
    double bytes = 0.0;
    for (const auto& t : found->tables)
      bytes += static_cast<double>(EmbeddingCache::slots_for(static_cast<std::uint64_t>(t.rows), found->fraction) * EmbeddingCache::kBytesPerSlot);
    return bytes * std::max(1, s.total_gpus());
  }
  double bytes = 0.0;
  for (std::size_t m = 0; m < s.fleet.models.size(); ++m)
    for (std::size_t g = 0; g < s.fleet.groups.size(); ++g) {
      const EmbeddingCacheSpec* cache = s.fleet.embedding_cache_on_group(m, g);
      if (!cache || cache->mode != EmbeddingCacheSpec::Mode::keys) continue;
      const double gpus = static_cast<double>(s.fleet.groups[g].count) * s.fleet.groups[g].gpus;
      for (const auto& t : cache->tables)
        bytes += gpus * static_cast<double>(EmbeddingCache::slots_for(static_cast<std::uint64_t>(t.rows), cache->fraction) *
                                            EmbeddingCache::kBytesPerSlot);
    }
  return bytes;
}

namespace {

// Format 2's caches: (model, kind) pairs keeping one, GPUs holding one per model, servers consuming
// each model's updates.
struct CacheCounts {
  double gpu_caches = 0, consumers = 0, publishers = 0;
};

CacheCounts cache_counts(const Scenario& s) {
  CacheCounts c;
  for (std::size_t m = 0; m < s.fleet.models.size(); ++m) {
    bool updates = false;
    for (std::size_t gi = 0; gi < s.fleet.groups.size(); ++gi)
      if (const EmbeddingCacheSpec* cache = s.fleet.embedding_cache_on_group(m, gi)) {
        const ServerGroup& g = s.fleet.groups[gi];
        c.gpu_caches += static_cast<double>(g.count) * g.gpus;
        if (cache->updates && g.gpus > 0) {
          c.consumers += g.count;
          updates = true;
        }
      }
    if (updates) ++c.publishers;
  }
  return c;
}

}  // namespace

ResourceEstimate estimate_resources(const Scenario& s) {
  ResourceEstimate e;
  const double servers = s.total_servers(), gpus = s.total_gpus();
  e.simulated_cores = s.total_cores();
  const EmbeddingCacheSpec* cache = s.fleet.embedding_cache();
  const double redis_nodes = cache && cache->redis ? cache->redis->nodes : 0;
  // A load generator, the completion flusher, a network's delivery actor, three stages per GPU, a
  // fetcher and a refresher per GPU with a cache, an update consumer per server with GPUs and a
  // publisher.
  if (s.format < 2) {
    e.actors = 2 + (s.fleet.network.enabled ? 1 : 0) + 3 * gpus + (cache ? 2 * gpus + servers + 1 : 0);
  } else {  // a fetcher and a refresher per cache on a GPU, a consumer per (server, model) with updates, a publisher per such model
    const CacheCounts c = cache_counts(s);
    e.actors = 2 + (s.fleet.network.enabled ? 1 : 0) + 3 * gpus + 2 * c.gpu_caches + c.consumers + c.publishers;
  }
  e.core_bytes = e.simulated_cores * kCoreBytes;
  const double models = s.format >= 2 ? static_cast<double>(s.fleet.models.size()) : 0.0;
  const double groups = s.format >= 2 ? static_cast<double>(s.fleet.groups.size()) : 0.0;
  e.histogram_bytes = ((1 + models) * kRunMetricsHistograms + groups) * kHistogramBytes;
  const double hosts = 1 + servers + gpus + redis_nodes;
  e.actor_bytes = e.actors * kActorBytes;
  // Links: a NIC per server, an uplink per rack and the frontend's with a network; a PCIe link per
  // GPU; the Redis link. The star zone keeps each host's own links only (linear in the fleet).
  const double links = (s.fleet.network.enabled ? 2 * servers + 1 : 0) + gpus + (redis_nodes > 0 ? 1 : 0);
  e.routing_bytes = hosts * kHostBytes + links * kLinkBytes;
  e.cache_bytes = embedding_cache_bytes(s);
  const double in_flight = static_cast<double>(std::min(s.in_flight_bound(), s.run.queries));
  e.in_flight_bytes = in_flight * kInFlightBytes;

  // Work. Requests per query: a query of n items splits into ceil(n / batch) requests, at most
  // n / batch + 1 on average; offloaded queries are one request (counted the same way: an upper bound).
  // Each model at its share, at the smallest batch size any kind gives it.
  const double queries = static_cast<double>(s.run.queries);
  double per_query = 0.0, items_per_query = 0.0, largest_items = 0.0;
  for (const ModelLoad& m : model_loads(s)) {
    const double mean = mean_query_size(*m.sizes);
    per_query += m.share * (mean / m.batch + 1.0);
    items_per_query += m.share * mean;
    largest_items = std::max(largest_items, static_cast<double>(m.sizes->largest()));
    e.largest_query_requests = std::max(e.largest_query_requests, std::ceil(static_cast<double>(m.sizes->largest()) / m.batch));
  }
  e.requests = queries * per_query;
  // A query's requests are placed when it arrives: the largest one's at once, and the queries in
  // flight's at their mean.
  e.largest_query_bytes = kRequestBytes * e.largest_query_requests;
  e.request_bytes = e.largest_query_bytes + kRequestBytes * in_flight * per_query;
  // Each model's cache (format 1: the one; format 2: on the first kind keeping it, the others alike
  // but for their size), with its model's index.
  std::vector<std::pair<std::size_t, const EmbeddingCacheSpec*>> caches;
  for (std::size_t m = 0; m < s.fleet.models.size(); ++m)
    for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k)
      if (const EmbeddingCacheSpec* c = s.fleet.embedding_cache(m, k)) {
        caches.emplace_back(m, c);
        break;
      }
  // Embedding keys per item, over the tables: the most of any model's (an upper bound), and of the
  // key-level caches' alone (the keys drawn one by one).
  double lookups_per_item = 0.0, key_level_lookups_per_item = 0.0;
  for (const auto& [m, c] : caches) {
    double own = 0.0;
    for (const auto& t : c->tables) own += t.lookups;
    lookups_per_item = std::max(lookups_per_item, own);
    if (c->mode == EmbeddingCacheSpec::Mode::keys) key_level_lookups_per_item = std::max(key_level_lookups_per_item, own);
  }
  const double keys = queries * items_per_query * lookups_per_item;  // over the run
  if (key_level_lookups_per_item > 0.0) {
    e.key_lookups = queries * items_per_query * key_level_lookups_per_item;
    const double largest_keys = kKeyBytes * largest_items * key_level_lookups_per_item;  // the largest query's, drawn at once
    e.largest_query_bytes += largest_keys;
    e.request_bytes += largest_keys;
  }
  for (std::size_t m = 0; m < s.fleet.models.size(); ++m)  // each (model, kind)'s copy of its key trace
    for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k)
      if (const EmbeddingCacheSpec* c = s.fleet.embedding_cache(m, k); c && c->key_trace) {
        e.key_trace_bytes += c->key_trace->bytes();
        if (s.format < 2) break;  // format 1: one service shared by every kind
      }
  e.memory_bytes = kBaseBytes + e.actor_bytes + e.core_bytes + e.routing_bytes + e.histogram_bytes + e.cache_bytes +
                   e.in_flight_bytes + e.request_bytes + e.key_trace_bytes;

  // Virtual time: the arrivals' span (the online climb may slow them to its lowest rate), or longer
  // where the work takes longer than the arrivals: the CPUs at their stability limit, each server's
  // SSD reading a block per key, the Redis link carrying every key (every lookup a miss: an upper bound).
  const SchedulerSpec* online = online_scheduler(s);
  e.virtual_seconds = s.arrival.from_trace() ? s.arrival.trace_span_s * s.arrival.time_scale() : queries / s.arrival.qps;
  e.virtual_seconds_key = "workload.arrival.qps";
  auto longer = [&e](double seconds, const std::string& key) {
    if (seconds > e.virtual_seconds) {
      e.virtual_seconds = seconds;
      e.virtual_seconds_key = key;
    }
  };
  if (online && online->online.min_qps > 0.0) longer(queries / online->online.min_qps, "scheduler.online.min_qps");
  if (const auto limit = cpu_stability_limit_qps(s)) longer(queries / *limit, "service");
  if (gpus > 0) {
    // Each GPU's stages take one query at a time: a query's upload waits for its tables' lookups in
    // a remote volatile tier (one round trip per table) and crosses PCIe, its download crosses back.
    double pcie_latency = 0.0;
    for (const auto& g : s.fleet.groups) pcie_latency = std::max(pcie_latency, g.pcie_latency_s);
    const double redis_latency = cache && cache->redis ? cache->redis->latency_s * static_cast<double>(cache->tables.size()) : 0.0;
    longer(queries / gpus * (2.0 * pcie_latency + redis_latency),
           redis_latency > 2.0 * pcie_latency ? cache_key(s, "redis.latency_us") : (s.format >= 2 ? "server_kinds" : "platform.servers"));
  }
  if (cache) {
    if (cache->persistent && cache->persistent->read_bytes_per_s > 0.0)
      longer(keys * static_cast<double>(cache->persistent->block_bytes) / cache->persistent->read_bytes_per_s / std::max(1.0, servers),
             cache_key(s, "persistent.block_bytes"));
    if (cache->redis && cache->redis->bytes_per_s > 0.0) {
      double bytes_per_item = 0.0;
      for (const auto& t : cache->tables) bytes_per_item += 4.0 * t.dim * t.lookups;
      longer(queries * items_per_query * bytes_per_item / cache->redis->bytes_per_s, cache_key(s, "redis.gb_per_s"));
    }
  }
  double cache_ticks = 0.0, cache_events = 0.0;
  // Counts one periodic source (`ticks` of it, `events` in all) and remembers the key of the one with
  // the most ticks and the one with the most events (named in the bound's message).
  const auto track = [&](double ticks, double events, std::string ticks_key, std::string events_key) {
    e.periodic_events += events;
    if (ticks > cache_ticks) {
      cache_ticks = ticks;
      e.cache_ticks_key = std::move(ticks_key);
    }
    if (events > cache_events) {
      cache_events = events;
      e.cache_events_key = std::move(events_key);
    }
  };
  for (const auto& [m, c] : caches) {  // each model's update stream and refresh, as if on every GPU (an upper bound)
    if (c->updates) {
      const double tick = c->updates->tick_s;
      const double ticks = e.virtual_seconds / tick;
      const double servers_with_gpus = std::min(servers, gpus);
      const double updated = c->updates->keys_per_s * static_cast<double>(c->tables.size()) * e.virtual_seconds;
      track(ticks, ticks * (servers_with_gpus + 1) + updated * (servers_with_gpus + gpus), model_cache_key(s, m, "updates.tick_ms"),
            model_cache_key(s, m, "updates"));
    }
    if (c->refresh) {
      const double passes = e.virtual_seconds / c->refresh->interval_s;
      track(passes, passes * gpus * static_cast<double>(c->tables.size()), model_cache_key(s, m, "refresh.interval_ms"),
            model_cache_key(s, m, "refresh"));
    }
  }
  e.max_ticks = std::max(e.max_ticks, cache_ticks);
  // The time series: per window four figures per group and a latency histogram per model, one
  // with latencies spanning two decades (about 460 bins of 8 bytes) taken as typical.
  if (s.run.window_s) {
    e.series_windows = std::ceil(e.virtual_seconds / *s.run.window_s);
    e.series_bytes = e.series_windows * (kSeriesWindowBytes + 32.0 * static_cast<double>(s.fleet.groups.size()) +
                                         kSeriesHistogramBytes * static_cast<double>(s.fleet.models.size()));
    e.memory_bytes += e.series_bytes;
  }
  // Autoscaling: a decision per interval for each scaled group.
  if (s.fleet.autoscaling) {
    const double ticks = e.virtual_seconds / s.fleet.autoscaling->interval_s;
    e.max_ticks = std::max(e.max_ticks, ticks);
    e.periodic_events += ticks * static_cast<double>(s.fleet.autoscaling->groups.size());
  }
  // Random failures: each server of a failing kind goes down and comes back once per mtbf + mttr.
  if (s.fleet.failures)
    for (const RandomFailures& f : s.fleet.failures->random)
      for (const ServerGroup& g : s.fleet.groups)
        if (g.kind == f.kind) e.failure_events += 2.0 * g.count * e.virtual_seconds / (f.mtbf_s + f.mttr_s);
  // Scheduled failures: each takes its servers down (a server, a rack of its group, or the group)
  // and, with an end, back up: an event per server each way.
  if (s.fleet.failures)
    for (const ScheduledFailure& f : s.fleet.failures->scheduled) {
      const ServerGroup& g = s.fleet.groups[static_cast<std::size_t>(f.group)];
      const double servers = f.server ? 1.0 : f.rack ? std::min(g.count, s.fleet.network.servers_per_rack) : g.count;
      e.scheduled_failure_events += servers * (f.up_s ? 2.0 : 1.0);
    }
  e.periodic_events += e.failure_events + e.scheduled_failure_events;
  // A burst schedule runs until the last arrival, whatever the work makes the run's length.
  e.arrival_events = s.arrival.from_trace() ? 0.0 : s.arrival.events_per_s * queries / s.arrival.qps;
  e.periodic_events += e.arrival_events;
  return e;
}

double lowest_searchable_qps(const Scenario& s, bool allow_large) {
  const double lowest = s.arrival.qps * kLowestRateFraction;
  Scenario at = s;
  at.arrival.qps = lowest;
  const ResourceEstimate e = estimate_resources(at);
  // Where the arrivals' span sets the run's length, virtual time, periodic ticks and periodic events
  // all scale as 1 / rate: the rate at which the first of them reaches its limit (the events' only
  // without allow_large). A search's runs at low rates are as long as any other run may be.
  if (e.virtual_seconds_key != "workload.arrival.qps") return lowest;
  double factor = std::max({1.0, e.virtual_seconds / kMaxVirtualSeconds, e.max_ticks / kMaxTicks});
  if (!allow_large) factor = std::max(factor, e.periodic_events / kMaxPeriodicEvents);
  return lowest * factor * (1 + 1e-9);  // just inside the limits, whatever the rounding
}

void check_resources(const Scenario& s, bool allow_large) {
  const ResourceEstimate e = estimate_resources(s);
  if (e.virtual_seconds > kMaxVirtualSeconds)
    throw InputError(e.virtual_seconds_key, "the run would last about " + count(e.virtual_seconds) +
                                                " virtual seconds, beyond 1e9 (double-precision time then resolves a latency to worse than 0.12 µs)" +
                                                (e.virtual_seconds_key == "workload.arrival.qps" ? ": raise the rate or run fewer queries" : ""));
  if (e.max_ticks > kMaxTicks) {
    const bool autoscaling = s.fleet.autoscaling && e.virtual_seconds / s.fleet.autoscaling->interval_s >= e.max_ticks;
    const std::string key = autoscaling || e.cache_ticks_key.empty() ? "autoscaling.interval_s" : e.cache_ticks_key;
    throw InputError(key, "the run's " + count(e.virtual_seconds) + " virtual seconds would hold " + count(e.max_ticks) +
                              " periods, more than virtual time can tell apart (at most 1e12): lengthen the period or shorten the run");
  }
  if (e.series_windows > kMaxSeriesWindows)
    throw InputError("run.window_s", "the run's " + count(e.virtual_seconds) + " virtual seconds would make " + count(e.series_windows) +
                                         " windows, more than 1e7: lengthen the window");
  const std::string hint = "; pass --allow-large to run it anyway";
  const double queries = static_cast<double>(s.run.queries);
  const double available = available_memory_bytes();
  if (!allow_large && available > 0 && e.memory_bytes > 0.8 * available) {
    // The largest part names the key.
    const std::pair<double, std::string> parts[] = {
        {e.actor_bytes + e.core_bytes + e.routing_bytes + e.histogram_bytes, s.format >= 2 ? "server_groups" : "platform.servers"},
        {e.cache_bytes, cache_key(s, "fraction")},
        // Requests in flight: the queries' sizes where each needs a thousand requests or more.
        {e.in_flight_bytes + e.request_bytes - e.largest_query_bytes,
         e.requests >= 1000.0 * queries ? (s.format >= 2 ? "models" : "workload.query_size") : "run.max_in_flight"},
        {e.largest_query_bytes, s.format >= 2 ? "models" : "workload.query_size"},
        {e.key_trace_bytes, cache_key(s, "keys.file")},
        {e.series_bytes, "run.window_s"}};
    std::string key = parts[0].second;
    double most = parts[0].first;
    for (const auto& [bytes, k] : parts)
      if (bytes > most) {
        most = bytes;
        key = k;
      }
    throw InputError(key, "the run would need about " + gib(e.memory_bytes) + " of memory (" + count(e.simulated_cores) +
                              " simulated cores and " + count(e.actors) + " actors: " + gib(e.actor_bytes + e.core_bytes) + "; routing " +
                              gib(e.routing_bytes) + "; latency histograms " + gib(e.histogram_bytes) + "; embedding caches " + gib(e.cache_bytes) + "; queries in flight " +
                              gib(e.in_flight_bytes) + "; requests placed at once " + gib(e.request_bytes) + ", " + count(e.largest_query_requests) +
                              " of them the largest query's; key trace " + gib(e.key_trace_bytes) + "; time series " + gib(e.series_bytes) + "), more than 80% of the " +
                              gib(available) + " this machine has available" + hint);
  }
  if (!allow_large && e.requests > kMaxRequests)
    throw InputError("run.queries", "the run would simulate about " + count(e.requests) + " requests (" + count(static_cast<double>(s.run.queries)) +
                                        " queries at batch size " + std::to_string(smallest_batch(s)) +
                                        "), beyond 1e10 (hours of simulation)" + hint);
  if (!allow_large && e.key_lookups > kMaxKeyLookups)
    throw InputError(cache_key(s, "mode"), "the run would draw about " + count(e.key_lookups) +
                                                         " embedding keys (queries x items x the tables' lookups), beyond 1e9 (about ten minutes or more of simulation): "
                                                         "run fewer queries or use \"analytic\"" + hint);
  if (!allow_large && e.periodic_events > kMaxPeriodicEvents)
    throw InputError(e.arrival_events > e.periodic_events / 2   ? s.arrival.events_key
                     : e.failure_events > e.periodic_events / 2 ? "failures.random"
                     : e.scheduled_failure_events > e.periodic_events / 2 ? "failures.scheduled"
                     : e.cache_events_key.empty()               ? "autoscaling.interval_s"
                                                              : e.cache_events_key,
                     "the run would process about " + count(e.periodic_events) +
                         " periodic events (burst state changes, failures and repairs, autoscaling decisions, update polls, keys and refresh passes over " +
                         count(e.virtual_seconds) + " virtual seconds), beyond 1e9 (hours of simulation)" + hint);
}

}  // namespace recsim
