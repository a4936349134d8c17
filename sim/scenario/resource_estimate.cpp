#include "sim/scenario/resource_estimate.h"

#include "sim/scheduling/scheduler_policy.h"

#include "sim/ps/embedding_cache.h"
#include "sim/scenario/query_sizes.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <string>

namespace recsim {
namespace {

// Measured with /usr/bin/time on 100 to 3,000 servers of 8 to 64 cores (docs/performance.md): about
// 40 MiB at start, 54-57 KiB per simulated core, plus the routing table.
constexpr double kBaseBytes = 40.0 * 1024 * 1024;
constexpr double kActorBytes = 56.0 * 1024;
constexpr double kHostBytes = 4.0 * 1024;
constexpr double kRouteBytes = 8.0;
constexpr double kInFlightBytes = 256.0;  // a query slot and its requests' bookkeeping
constexpr double kCoreBytes = 64.0;       // a core's free time, busy time and its share of a server
constexpr double kHistogramBytes = 290.0 * 1024;  // a LatencyHistogram (35,000 bins of 8 bytes)
constexpr double kRunMetricsHistograms = 21;      // RunMetrics: the run's and its 20 batches'
constexpr double kMaxRequests = 1e10;
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

// Reads "Key: N kB" from /proc/meminfo.
double meminfo_bytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  std::string name;
  double value = 0;
  std::string unit;
  while (in >> name >> value >> unit)
    if (name == key + ":") return value * 1024.0;
  return 0.0;
}

// The batch size the request estimate assumes: the online climb's smallest.
int batch_of(const Scenario& s) {
  return scheduler_policy(s.scheduler.policy).online
             ? (s.scheduler.online.batches.empty() ? 1 : s.scheduler.online.batches.front())
             : s.scheduler.batch_size;
}

}  // namespace

double embedding_cache_bytes(const Scenario& s) {
  if (!s.service.embedding_cache || s.service.embedding_cache->mode != EmbeddingCacheSpec::Mode::keys) return 0.0;
  const EmbeddingCacheSpec& cache = *s.service.embedding_cache;
  double bytes = 0.0;
  for (const auto& t : cache.tables)
    bytes += static_cast<double>(EmbeddingCache::slots_for(static_cast<std::uint64_t>(t.rows), cache.fraction) * EmbeddingCache::kBytesPerSlot);
  return bytes * std::max(1, s.total_gpus());
}

ResourceEstimate estimate_resources(const Scenario& s) {
  ResourceEstimate e;
  const double servers = s.total_servers(), gpus = s.total_gpus();
  e.simulated_cores = s.total_cores();
  const auto& cache = s.service.embedding_cache;
  const double redis_nodes = cache && cache->redis ? cache->redis->nodes : 0;
  // A load generator, the completion flusher, a network's delivery actor, three stages per GPU, a
  // fetcher and a refresher per GPU with a cache, an update consumer per server with GPUs and a
  // publisher.
  e.actors = 2 + (s.network.enabled ? 1 : 0) + 3 * gpus + (cache ? 2 * gpus + servers + 1 : 0);
  e.core_bytes = e.simulated_cores * kCoreBytes;
  const double models = s.format >= 2 ? static_cast<double>(s.models.size()) : 0.0;
  const double groups = s.format >= 2 ? static_cast<double>(s.servers.size()) : 0.0;
  e.histogram_bytes = ((1 + models) * kRunMetricsHistograms + groups) * kHistogramBytes;
  const double hosts = 1 + servers + gpus + redis_nodes;
  e.actor_bytes = e.actors * kActorBytes;
  e.routing_bytes = hosts * hosts * kRouteBytes + hosts * kHostBytes;
  e.cache_bytes = embedding_cache_bytes(s);
  e.in_flight_bytes = static_cast<double>(std::min(s.run.max_in_flight, s.run.queries)) * kInFlightBytes;
  e.memory_bytes = kBaseBytes + e.actor_bytes + e.core_bytes + e.routing_bytes + e.histogram_bytes + e.cache_bytes +
                   e.in_flight_bytes;

  // Work. Requests per query: a query of n items splits into ceil(n / batch) requests, at most
  // n / batch + 1 on average; offloaded queries are one request (counted the same way: an upper bound).
  const double queries = static_cast<double>(s.run.queries);
  if (s.format >= 2) {
    // Each model at its share, at the smallest batch size any kind gives it.
    double total = 0.0, per_query = 0.0;
    for (const auto& m : s.models) total += m.share;
    for (const auto& m : s.models) {
      int batch = std::numeric_limits<int>::max();
      for (int g : m.groups) batch = std::min(batch, m.scheduler[static_cast<std::size_t>(s.servers[static_cast<std::size_t>(g)].kind)].batch_size);
      per_query += m.share / total * (mean_query_size(m.query_size) / std::max(1, batch) + 1.0);
    }
    e.requests = queries * per_query;
  } else {
    e.requests = queries * (mean_query_size(s.query_size) / std::max(1, batch_of(s)) + 1.0);
  }
  e.virtual_seconds = s.arrival.process == ArrivalSpec::Process::trace ? s.arrival.trace_span_s * s.arrival.time_scale() : queries / s.arrival.qps;
  if (cache && cache->updates) {
    const double tick = cache->updates->tick_s;
    const double ticks = e.virtual_seconds / tick;
    e.max_ticks = std::max(e.max_ticks, ticks);
    const double servers_with_gpus = std::min(servers, gpus);
    const double keys = cache->updates->keys_per_s * static_cast<double>(cache->tables.size()) * e.virtual_seconds;
    e.periodic_events += ticks * (servers_with_gpus + 1) + keys * (servers_with_gpus + gpus);
  }
  if (cache && cache->refresh) {
    const double passes = e.virtual_seconds / cache->refresh->interval_s;
    e.max_ticks = std::max(e.max_ticks, passes);
    e.periodic_events += passes * gpus * static_cast<double>(cache->tables.size());
  }
  return e;
}

double available_memory_bytes() {
  double bytes = meminfo_bytes("MemAvailable");
  std::ifstream cg("/sys/fs/cgroup/memory.max");
  std::string limit;
  if (cg >> limit && limit != "max") {
    const double l = std::strtod(limit.c_str(), nullptr);
    if (l > 0 && (bytes == 0 || l < bytes)) bytes = l;
  }
  return bytes;
}

void check_resources(const Scenario& s, bool allow_large) {
  const ResourceEstimate e = estimate_resources(s);
  const auto& cache = s.service.embedding_cache;
  if (e.max_ticks > kMaxTicks) {
    const std::string key = cache && cache->updates && e.virtual_seconds / cache->updates->tick_s >= e.max_ticks
                                ? "service.embedding_cache.updates.tick_ms"
                                : "service.embedding_cache.refresh.interval_ms";
    throw InputError(key, "the run's " + count(e.virtual_seconds) + " virtual seconds would hold " + count(e.max_ticks) +
                              " periods, more than virtual time can tell apart (at most 1e12): lengthen the period or shorten the run");
  }
  const std::string hint = "; pass --allow-large to run it anyway";
  const double available = available_memory_bytes();
  if (!allow_large && available > 0 && e.memory_bytes > 0.8 * available) {
    const bool platform = e.actor_bytes + e.core_bytes + e.routing_bytes + e.histogram_bytes >= e.cache_bytes + e.in_flight_bytes;
    const std::string key = platform ? (s.format >= 2 ? "server_groups" : "platform.servers") : (e.cache_bytes >= e.in_flight_bytes ? "service.embedding_cache.fraction" : "run.max_in_flight");
    throw InputError(key, "the run would need about " + gib(e.memory_bytes) + " of memory (" + count(e.simulated_cores) +
                              " simulated cores and " + count(e.actors) + " actors: " + gib(e.actor_bytes + e.core_bytes) + "; routing " +
                              gib(e.routing_bytes) + "; latency histograms " + gib(e.histogram_bytes) + "; embedding caches " + gib(e.cache_bytes) + "; queries in flight " +
                              gib(e.in_flight_bytes) + "), more than 80% of the " +
                              gib(available) + " this machine has available" + hint);
  }
  if (!allow_large && e.requests > kMaxRequests)
    throw InputError("run.queries", "the run would simulate about " + count(e.requests) + " requests (" + count(static_cast<double>(s.run.queries)) +
                                        " queries at batch size " + std::to_string(batch_of(s)) +
                                        "), beyond 1e10 (hours of simulation)" + hint);
  if (!allow_large && e.periodic_events > kMaxPeriodicEvents)
    throw InputError(cache && cache->updates ? "service.embedding_cache.updates" : "service.embedding_cache.refresh",
                     "the run would process about " + count(e.periodic_events) + " periodic events (update polls, keys and refresh passes over " +
                         count(e.virtual_seconds) + " virtual seconds), beyond 1e9 (hours of simulation)" + hint);
}

}  // namespace recsim
