#include "sim/engine/simulation.h"

#include "sim/engine/gpu_device.h"
#include "sim/engine/lower_tiers.h"
#include "sim/engine/update_consumer.h"
#include "sim/engine/update_publisher.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/engine/server.h"
#include "sim/scenario/query_sizes.h"
#include "sim/service/service_time_model.h"
#include "workloads/query_source.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <xbt/log.h>

#include <chrono>
#include <cstdio>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace recsim {
namespace {

bool g_engine_used = false;

std::unique_ptr<QuerySource> make_source(const Scenario& s) {
  if (s.arrival.process == ArrivalSpec::Process::trace) return make_trace_source(s.arrival.trace_file);
  return make_synthetic_source(PoissonArrivals(s.arrival.qps, make_stream(s.seed, StreamId::arrivals)),
                               make_query_sizes(s.query_size), make_stream(s.seed, StreamId::query_sizes));
}

// SimGrid's engine, configured for this simulator: quiet logs, small actor stacks without guard
// pages (workers hold no large locals), and the fastest context switching this build allows.
simgrid::s4u::Engine make_engine() {
  static char name[] = "recsim";
  static char log[] = "--log=root.thresh:error";
  static char stack[] = "--cfg=contexts/stack-size:64";
  static char guard[] = "--cfg=contexts/guard-size:0";
#ifdef RECSIM_SANITIZED
  static char factory[] = "--cfg=contexts/factory:thread";  // sanitizers cannot follow raw stack switches
#else
  static char factory[] = "--cfg=contexts/factory:raw";
#endif
  // PCIe links: a transfer takes latency + bytes / bandwidth, shared max-min between concurrent
  // transfers in one direction; none of the TCP corrections of SimGrid's default network model.
  static char network[] = "--cfg=network/model:CM02";
  static char cross[] = "--cfg=network/crosstraffic:0";
  static char gamma[] = "--cfg=network/TCP-gamma:0";
  static char* argv[] = {name, log, stack, guard, factory, network, cross, gamma, nullptr};
  int argc = 8;
  return simgrid::s4u::Engine(&argc, argv);
}

}  // namespace

RunResults simulate(const Scenario& scenario, const SimulationOptions& options) {
  if (g_engine_used) throw std::logic_error("simulate() runs once per process; use simulate_isolated()");
  g_engine_used = true;
  const auto wall_start = std::chrono::steady_clock::now();

  simgrid::s4u::Engine engine = make_engine();
  const Platform platform = build_platform(scenario);
  const auto service = make_service_model(scenario.service);
  const auto source = make_source(scenario);

  RunMetrics metrics(scenario.run.queries - scenario.run.warmup_queries);
  if (options.stop_when_sla_missed) metrics.watch_sla(scenario.sla.percentile, scenario.sla.target_ms / 1e3);
  QueryTracker tracker(metrics);
  std::vector<std::unique_ptr<Server>> servers;
  for (std::size_t i = 0; i < platform.servers.size(); ++i)
    servers.push_back(std::make_unique<Server>(platform.servers[i], *service,
                                               make_stream(scenario.seed, StreamId::service, static_cast<std::uint32_t>(i)),
                                               tracker, metrics));
  for (auto& s : servers) s->start();
  // The parameter server: each server's lower tiers, each GPU's cache, each server's update consumer.
  const auto& cache = scenario.service.embedding_cache;
  std::optional<CacheRunStats> cache_stats;
  std::vector<std::unique_ptr<LowerTiers>> tiers;
  std::vector<std::unique_ptr<UpdateConsumer>> consumers;
  std::unique_ptr<UpdatePublisher> publisher;
  if (cache) {
    cache_stats.emplace(cache->timeline_bin_s);
    for (const auto& server : platform.servers) tiers.push_back(std::make_unique<LowerTiers>(*cache, server, platform.redis_nodes, metrics));
  }
  std::vector<std::unique_ptr<GpuDevice>> gpus;
  std::vector<std::size_t> gpu_server;  // index of each GPU's server
  for (std::size_t i = 0; i < platform.servers.size(); ++i) {
    std::vector<EmbeddingLookup*> server_lookups;
    for (const auto& g : platform.servers[i].gpus) {
      std::unique_ptr<GpuEmbeddingCache> gpu_cache;
      if (cache) {
        gpu_cache = std::make_unique<GpuEmbeddingCache>(
            *cache, make_embedding_lookup(*cache, scenario.seed, static_cast<std::uint32_t>(gpus.size())), *tiers[i], g,
            platform.servers[i].host, *cache_stats, metrics);
        server_lookups.push_back(&gpu_cache->lookup());
      }
      gpus.push_back(std::make_unique<GpuDevice>(g, platform.servers[i].host, scenario.service, tracker, metrics, std::move(gpu_cache)));
      gpu_server.push_back(i);
    }
    if (cache && cache->updates && !server_lookups.empty())
      consumers.push_back(std::make_unique<UpdateConsumer>(*cache, platform.servers[i], *tiers[i], server_lookups, *cache_stats,
                                                           metrics, scenario.seed));
  }
  for (auto& g : gpus) g->start();
  for (auto& c : consumers) c->start();
  if (!consumers.empty()) {
    publisher = std::make_unique<UpdatePublisher>(*cache, scenario.seed, *cache_stats, metrics);
    publisher->start(platform.frontend);
  }
  LoadGenerator generator(scenario, *source, servers, gpus, tracker, options.progress);
  simgrid::s4u::Actor::create("load-generator", platform.frontend, [&generator] { generator(); });

  engine.run();
  const double end = simgrid::s4u::Engine::get_clock();

  RunResults r;
  r.scenario = scenario.name;
  r.seed = scenario.seed;
  r.arrived = tracker.arrived();
  r.completed = tracker.completed();
  r.virtual_seconds = end;
  switch (scenario.service.type) {
    case ServiceSpec::Type::exponential: r.service_type = "exponential"; break;
    case ServiceSpec::Type::deterministic: r.service_type = "deterministic"; break;
    case ServiceSpec::Type::table: r.service_type = "table"; break;
    case ServiceSpec::Type::model:
      r.service_type = "model";
      r.service_model = scenario.service.model;
      r.service_profile = scenario.service.profile_file;
      r.service_source = scenario.service.profile_source;
      r.service_gpu_profile = scenario.service.gpu_profile_file;
      r.service_gpu_source = scenario.service.gpu_profile_source;
      r.service_model_file = scenario.service.model_file;
      r.service_table_rows = scenario.service.table_rows;
      break;
  }
  const double window = metrics.window_open() ? end - metrics.window_start() : 0.0;
  const double arrival_span = metrics.window_open() ? generator.last_arrival() - metrics.window_start() : 0.0;
  double busy_total = 0.0;
  std::string overloaded;
  for (const auto& s : servers) {
    ServerUtilization u;
    u.name = s->host().name;
    const auto busy = s->core_busy_seconds(end);
    for (double b : busy) u.cores.push_back(window > 0.0 ? b / window : 0.0);
    const double busy_sum = std::accumulate(busy.begin(), busy.end(), 0.0);
    busy_total += busy_sum;
    u.cpu = window > 0.0 ? busy_sum / (window * s->host().cpu_cores) : 0.0;
    u.offered = arrival_span > 0.0 ? s->offered_work_seconds() / (arrival_span * s->host().cpu_cores) : 0.0;
    if (u.offered >= 1.0 && overloaded.empty()) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "offered load %.3f >= 1 on %s: work arrives faster than its cores can serve it",
                    u.offered, u.name.c_str());
      overloaded = buf;
    }
    if (cache) {
      const double tier_seconds = tiers[r.servers.size()]->server_core_seconds();
      u.tier_work = window > 0.0 ? tier_seconds / (window * s->host().cpu_cores) : 0.0;
    }
    r.requests_simulated += s->requests_served();
    r.servers.push_back(std::move(u));
  }
  double gpu_busy_total = 0.0;
  for (std::size_t k = 0; k < gpus.size(); ++k) {
    const GpuDevice& g = *gpus[k];
    GpuUtilization u;
    u.name = g.gpu().name;
    const double kernel_busy = g.kernel_busy_seconds(end);
    gpu_busy_total += kernel_busy;
    u.busy = window > 0.0 ? kernel_busy / window : 0.0;
    u.h2d = window > 0.0 ? g.h2d_link_busy_seconds(end) / window : 0.0;
    u.d2h = window > 0.0 ? g.d2h_link_busy_seconds(end) / window : 0.0;
    u.upload_stage = window > 0.0 ? g.upload_busy_seconds(end) / window : 0.0;
    u.tier_wait = window > 0.0 ? g.tier_wait_seconds(end) / window : 0.0;
    u.offered = arrival_span > 0.0 ? g.offered_kernel_seconds() / arrival_span : 0.0;
    u.queries = g.queries_served();
    if (u.offered >= 1.0 && overloaded.empty()) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "offered load %.3f >= 1 on %s: queries arrive faster than it can run them",
                    u.offered, u.name.c_str());
      overloaded = buf;
    }
    r.gpu_queries += u.queries;
    r.requests_simulated += u.queries;
    r.servers[gpu_server[k]].gpus.push_back(u);
  }
  if (cache) {
    CacheReport report;
    report.mode = cache->mode == EmbeddingCacheSpec::Mode::keys ? "keys" : "analytic";
    for (const auto& g : gpus) report.counters.add(g->cache()->counters());
    cache_stats->fill(report, cache->refresh.has_value(), cache->updates.has_value());
    r.embedding_cache = std::move(report);
  }
  if (!gpus.empty()) r.gpu_utilization = window > 0.0 ? gpu_busy_total / (window * static_cast<double>(gpus.size())) : 0.0;
  r.mean_in_system = window > 0.0 ? tracker.in_system_area(end) / window : 0.0;
  r.cpu_utilization = window > 0.0 ? busy_total / (window * scenario.total_cores()) : 0.0;
  r.saturated = generator.saturated() || !overloaded.empty();
  r.saturation_reason = generator.saturated() ? generator.saturation_reason() : overloaded;
  metrics.summarise(end, scenario.sla.percentile, scenario.sla.target_ms, r);
  if (!generator.stopped_early().empty()) {
    // The statistics of a run cut short are not the run's: only the verdict is reported.
    r.stopped_early = generator.stopped_early();
    r.latency_ms.reset();
    r.sla_observed_ms.reset();
    r.sla_ci95_ms.reset();
    r.sla_met = false;
  }
  if (const OnlineHillClimber* climb = generator.online()) {
    OnlineClimbReport o;
    o.finished = climb->finished();
    o.finished_at_s = climb->finished_at();
    o.climb_queries = generator.climb_queries();
    o.batch_size = climb->config().batch_size;
    o.gpu_threshold = climb->config().gpu_threshold;
    for (const auto& s : climb->steps())
      o.steps.push_back({s.config.batch_size, s.config.gpu_threshold, s.phase, s.max_qps, s.at_limit, s.started_s, s.decided_s});
    r.online = std::move(o);
  }
  if (options.latency_cdf) r.latency_cdf_ms = metrics.latency().cdf_ms();
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace recsim
