#include "sim/engine/simulation.h"

#include "sim/engine/autoscaler.h"
#include "sim/engine/dispatcher.h"
#include "sim/engine/failure_injector.h"
#include "sim/engine/server_states.h"
#include "sim/engine/gpu_device.h"
#include "sim/engine/lower_tiers.h"
#include "sim/engine/offered_load.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/engine/server.h"
#include "sim/engine/update_consumer.h"
#include "sim/engine/update_publisher.h"
#include "sim/metrics/fleet_metrics.h"
#include "sim/metrics/fleet_report.h"
#include "sim/metrics/time_series.h"
#include "sim/scenario/fleet.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scheduling/scheduler_policy.h"
#include "sim/service/service_time_model.h"
#include "workloads/query_source.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <xbt/log.h>

#include <chrono>
#include <malloc.h>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace recsim {
namespace {

bool g_engine_used = false;

std::unique_ptr<QuerySource> make_source(const Scenario& s, const Fleet& fleet) {
  const ArrivalSpec& arrival = s.arrival;
  const auto times = [&](std::unique_ptr<QuerySizeDistribution> sizes, Rng size_rng) {
    return make_synthetic_source(arrival.make(arrival.qps, s.seed), std::move(sizes), std::move(size_rng));
  };
  if (s.format < 2) {
    if (arrival.from_trace()) return make_trace_source(arrival.trace_file, arrival.time_scale());
    return times(make_query_sizes(fleet.models.front().query_size), make_stream(s.seed, StreamId::query_sizes));
  }
  // Several models: the arrival times (and a trace's sizes), then each query's model and size.
  auto arrivals = arrival.from_trace() ? make_trace_source(arrival.trace_file, arrival.time_scale())
                                       : times(make_fixed_sizes(1), make_stream(s.seed, StreamId::query_sizes, 1));
  std::vector<double> shares;
  std::vector<std::unique_ptr<QuerySizeDistribution>> sizes;
  for (const auto& m : fleet.models) {
    shares.push_back(m.share);
    sizes.push_back(m.query_size.from_trace() ? nullptr : make_query_sizes(m.query_size));
  }
  return make_model_mix_source(std::move(arrivals), std::move(shares), std::move(sizes), make_stream(s.seed, StreamId::models),
                               make_stream(s.seed, StreamId::query_sizes));
}

constexpr int kActorStackKiB = 64;

// SimGrid's engine, configured for this simulator: quiet logs, small actor stacks without guard
// pages (workers hold no large locals), and the fastest context switching this build allows.
simgrid::s4u::Engine make_engine() {
  static char name[] = "recsim";
  static char log[] = "--log=root.thresh:error";
  static char stack[] = "--cfg=contexts/stack-size:64";  // kActorStackKiB
  static char guard[] = "--cfg=contexts/guard-size:0";
#ifdef RECSIM_SANITIZED
  static char factory[] = "--cfg=contexts/factory:thread";  // sanitizers cannot follow raw stack switches
#else
  static char factory[] = "--cfg=contexts/factory:raw";
#endif
  // PCIe and network links: a transfer takes latency + bytes / bandwidth, shared max-min between
  // concurrent transfers in one direction; none of the TCP corrections of SimGrid's default model.
  static char network[] = "--cfg=network/model:CM02";
  static char cross[] = "--cfg=network/crosstraffic:0";
  static char gamma[] = "--cfg=network/TCP-gamma:0";
  static char* argv[] = {name, log, stack, guard, factory, network, cross, gamma, nullptr};
  int argc = 8;
  // Without guard pages SimGrid callocs each actor's stack. Below glibc's mmap threshold (128 KiB
  // and rising with the large blocks freed) calloc clears all 64 KiB of it, paging them in; at or
  // above it the stack is a fresh mapping of which only the pages the actor touches are ever
  // paged in. A fleet of 10,000 GPU servers has 30,000 GPU stage actors: 1.9 GiB cleared at set-up
  // before, a few pages each now (docs/performance.md). Blocks of 64 KiB and more are mappings of
  // their own from here on.
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kActorStackKiB) * 1024);
  return simgrid::s4u::Engine(&argc, argv);
}

// Everything one run builds, in the order it is built (build_system), run (run_system) and read
// (collect_results).
struct System {
  explicit System(const Fleet& f) : fleet(f) {}
  const Fleet& fleet;
  Platform platform;
  std::vector<std::unique_ptr<ServiceTimeModel>> service_models;  // one per distinct ServiceSpec
  std::vector<std::vector<const ServiceTimeModel*>> services;     // [model][kind]
  std::unique_ptr<QuerySource> source;
  std::unique_ptr<RunMetrics> metrics;
  std::unique_ptr<FleetMetrics> fleet_metrics;  // format 2
  std::unique_ptr<QueryTracker> tracker;
  std::unique_ptr<TimeSeries> series;  // with run.window_s
  std::vector<std::unique_ptr<Server>> servers;
  // The parameter server, per model keeping an embedding cache (format 1: the one).
  std::vector<std::unique_ptr<CacheRunStats>> cache_stats;         // [model]; null without a cache
  std::vector<std::vector<std::unique_ptr<LowerTiers>>> tiers;     // [server][model]; null where none
  std::vector<std::unique_ptr<UpdateConsumer>> consumers;          // per (server with GPUs, model with updates)
  std::vector<std::unique_ptr<UpdatePublisher>> publishers;        // per model with updates
  std::vector<std::unique_ptr<GpuDevice>> gpus;
  std::vector<std::size_t> gpu_server;  // index of each GPU's server
  TuneConfig live;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<ServerStates> states;      // with failures or autoscaling
  std::unique_ptr<FailureInjector> failures;  // with the scenario's failures
  std::unique_ptr<Autoscaler> autoscaler;     // with the scenario's autoscaling
  std::unique_ptr<LoadGenerator> generator;
};

// Capacity of each hosting server for each model (BalancerView::weights): its cores over the
// time its requests for a query of the model's mean size take on its kind (CPU only).
std::vector<std::vector<double>> capacity_weights(const System& sys) {
  std::vector<std::vector<double>> weights;
  const std::vector<ServerGroup>& groups = sys.fleet.groups;
  for (std::size_t m = 0; m < sys.fleet.models.size(); ++m) {
    const FleetModel& model = sys.fleet.models[m];
    const double mean = std::max(1.0, mean_query_size(model.query_size));
    // Per group hosting it (a server's weight is its group's: one kind, one deployment).
    std::vector<double> of_group(groups.size(), -1.0);
    for (const int group : model.groups) {
      const auto kind = static_cast<std::size_t>(groups[static_cast<std::size_t>(group)].kind);
      const SchedulerSpec& sched = model.scheduler[kind];
      const int b = std::max(1, sched.batch_size);
      const double requests = std::ceil(mean / b);
      const double seconds = requests * sys.services[m][kind]->mean_seconds(static_cast<int>(std::min<double>(b, std::round(mean))));
      // The workers serving it: its own instances, else the server's cores (those its models share).
      const double workers = sched.instances > 0 ? sched.instances : sys.fleet.shared_cores(static_cast<std::size_t>(group));
      of_group[static_cast<std::size_t>(group)] = seconds > 0.0 ? workers / seconds : 1.0;
    }
    std::vector<double> w;
    for (const ServerHost& server : sys.platform.servers)
      if (const double g = of_group[static_cast<std::size_t>(server.group)]; g >= 0.0) w.push_back(g);
    weights.push_back(std::move(w));
  }
  return weights;
}

std::unique_ptr<System> build_system(const Scenario& scenario, const SimulationOptions& options) {
  auto sys = std::make_unique<System>(scenario.fleet);
  const Fleet& fleet = sys->fleet;
  sys->platform = build_platform(fleet);
  const Platform& platform = sys->platform;
  std::map<std::pair<const ServiceSpec*, int>, const ServiceTimeModel*> made;  // by (spec, intra-op threads)
  for (const auto& m : fleet.models) {
    std::vector<const ServiceTimeModel*> per_kind;
    for (std::size_t k = 0; k < m.service.size(); ++k) {
      const ServiceSpec* spec = m.service[k].get();
      if (!spec) {
        per_kind.push_back(nullptr);
        continue;
      }
      const int threads = m.scheduler[k].intra_op_threads;
      const auto key = std::make_pair(spec, threads);
      if (!made.count(key)) {
        sys->service_models.push_back(make_service_model(*spec, threads));
        made[key] = sys->service_models.back().get();
      }
      per_kind.push_back(made[key]);
    }
    sys->services.push_back(std::move(per_kind));
  }
  sys->source = make_source(scenario, fleet);

  const std::uint64_t measured = scenario.run.queries - scenario.run.warmup_queries;
  sys->metrics = std::make_unique<RunMetrics>(measured);
  if (scenario.format >= 2) {
    std::vector<std::uint64_t> expected;
    for (const auto& m : fleet.models) expected.push_back(static_cast<std::uint64_t>(std::llround(m.share * static_cast<double>(measured))));
    sys->fleet_metrics = std::make_unique<FleetMetrics>(expected, fleet.groups.size());
    // No early stop: how many measured queries each model gets is random, so "missed for certain"
    // cannot be decided before the end.
  } else if (options.stop_when_sla_missed) {
    sys->metrics->watch_sla(fleet.models.front().sla.percentile, fleet.models.front().sla.target_ms / 1e3);
  }
  sys->tracker = std::make_unique<QueryTracker>(*sys->metrics, sys->fleet_metrics.get());
  QueryTracker& tracker = *sys->tracker;
  RunMetrics& metrics = *sys->metrics;
  if (scenario.run.window_s) {
    sys->series = std::make_unique<TimeSeries>(*scenario.run.window_s, fleet);
    tracker.observe(*sys->series);
  }
  for (QueryObserver* o : options.observers) tracker.observe(*o);
  for (std::size_t i = 0; i < platform.servers.size(); ++i) {
    // The models placed on its group, each with its deployment on its kind.
    std::vector<const ServiceTimeModel*> per_model;
    std::vector<ModelDeployment> deployments;
    const auto kind = static_cast<std::size_t>(platform.servers[i].kind);
    for (std::size_t m = 0; m < fleet.models.size(); ++m) {
      const FleetModel& model = fleet.models[m];
      const bool placed = std::find(model.groups.begin(), model.groups.end(), platform.servers[i].group) != model.groups.end();
      per_model.push_back(placed ? sys->services[m][kind] : nullptr);
      deployments.push_back({model.scheduler[kind].instances, model.scheduler[kind].intra_op_threads, model.name});
    }
    const auto index = static_cast<std::uint32_t>(i);
    sys->servers.push_back(std::make_unique<Server>(platform.servers[i], std::move(per_model),
                                                    options.service_draws == 0
                                                        ? make_stream(scenario.seed, StreamId::service, index)
                                                        : make_stream(scenario.seed, StreamId::service, index, options.service_draws),
                                                    tracker, metrics, deployments));
  }
  // The parameter server: per model keeping a cache on a server's kind, the server's lower tiers
  // for it, each GPU's cache of it and the server's update consumer; a publisher per model.
  const std::size_t models = fleet.models.size();
  sys->cache_stats.resize(models);
  for (std::size_t m = 0; m < models; ++m)
    for (std::size_t k = 0; k < fleet.kinds.size(); ++k)
      if (const EmbeddingCacheSpec* c = fleet.embedding_cache(m, k); c && !sys->cache_stats[m])
        sys->cache_stats[m] = std::make_unique<CacheRunStats>(c->timeline_bin_s);
  sys->tiers.resize(platform.servers.size());
  for (std::size_t i = 0; i < platform.servers.size(); ++i) {
    sys->tiers[i].resize(models);
    for (std::size_t m = 0; m < models; ++m)
      if (const EmbeddingCacheSpec* c = fleet.embedding_cache_on_group(m, static_cast<std::size_t>(platform.servers[i].group)))
        sys->tiers[i][m] = std::make_unique<LowerTiers>(*c, platform.servers[i], platform.redis_nodes, metrics);
  }
  std::vector<std::vector<GpuDevice*>> gpus_of(platform.servers.size());
  for (std::size_t i = 0; i < platform.servers.size(); ++i) {
    const auto kind = static_cast<std::size_t>(platform.servers[i].kind);
    const auto group = static_cast<std::size_t>(platform.servers[i].group);
    std::vector<std::vector<EmbeddingLookup*>> server_lookups(models);  // per model
    std::vector<const ServiceSpec*> per_model;
    for (const auto& m : fleet.models) per_model.push_back(m.service[kind].get());
    for (const auto& g : platform.servers[i].gpus) {
      std::vector<std::unique_ptr<GpuEmbeddingCache>> caches;
      for (std::size_t m = 0; m < models; ++m) {
        const EmbeddingCacheSpec* c = fleet.embedding_cache_on_group(m, group);
        if (!c) continue;
        caches.resize(models);
        caches[m] = std::make_unique<GpuEmbeddingCache>(
            *c, make_embedding_lookup(*c, scenario.seed, static_cast<std::uint32_t>(sys->gpus.size())), *sys->tiers[i][m], g,
            platform.servers[i].pcie_host, *sys->cache_stats[m], metrics);
        server_lookups[m].push_back(&caches[m]->lookup());
      }
      sys->gpus.push_back(std::make_unique<GpuDevice>(g, platform.servers[i].pcie_host, per_model, tracker, metrics, std::move(caches)));
      sys->gpu_server.push_back(i);
      gpus_of[i].push_back(sys->gpus.back().get());
    }
    for (std::size_t m = 0; m < models; ++m) {
      const EmbeddingCacheSpec* c = fleet.embedding_cache_on_group(m, group);
      if (c && c->updates && !server_lookups[m].empty())
        sys->consumers.push_back(std::make_unique<UpdateConsumer>(*c, platform.servers[i], *sys->tiers[i][m], server_lookups[m],
                                                                  *sys->cache_stats[m], metrics, scenario.seed));
    }
  }
  for (auto& g : sys->gpus) g->start();
  for (auto& c : sys->consumers) c->start();
  for (std::size_t m = 0; m < models; ++m) {
    // One publisher per model whose updates some server consumes (its spec on any kind: the stream
    // does not depend on the cache's size).
    const EmbeddingCacheSpec* spec = nullptr;
    for (std::size_t k = 0; k < fleet.kinds.size() && !spec; ++k) spec = fleet.embedding_cache(m, k);
    if (!spec || !spec->updates) continue;
    bool consumed = false;
    for (std::size_t i = 0; i < platform.servers.size(); ++i)
      consumed = consumed || (!gpus_of[i].empty() && fleet.embedding_cache_on_group(m, static_cast<std::size_t>(platform.servers[i].group)));
    if (!consumed) continue;
    sys->publishers.push_back(std::make_unique<UpdatePublisher>(*spec, scenario.seed, *sys->cache_stats[m], metrics));
    sys->publishers.back()->start(platform.frontend);
  }
  sys->dispatcher = std::make_unique<Dispatcher>(fleet, platform, sys->servers, gpus_of, tracker,
                                                 make_stream(scenario.seed, StreamId::selection), sys->live,
                                                 capacity_weights(*sys), options.timely_completions);
  if (fleet.failures || fleet.autoscaling) sys->states = std::make_unique<ServerStates>(sys->servers, *sys->dispatcher, tracker);
  if (fleet.autoscaling) {
    sys->dispatcher->need_clock();
    sys->autoscaler = std::make_unique<Autoscaler>(*fleet.autoscaling, fleet, sys->servers, gpus_of, *sys->dispatcher, *sys->states);
    tracker.observe(*sys->autoscaler);
    sys->autoscaler->start(platform.frontend);
  }
  if (fleet.failures) {
    sys->failures = std::make_unique<FailureInjector>(*fleet.failures, fleet, sys->servers, std::move(gpus_of), *sys->dispatcher,
                                                      *sys->states, tracker, scenario.seed);
    sys->failures->start(platform.frontend);
  }
  sys->generator = std::make_unique<LoadGenerator>(scenario, *sys->source, *sys->dispatcher, tracker, sys->live, options.progress);
  LoadGenerator* generator = sys->generator.get();
  // A search's run ends as soon as a server's (or GPU's) offered load so far is beyond its noise above 1.
  if (options.stop_when_sla_missed) generator->stop_when_overloaded(make_overload_check(*sys->metrics, sys->servers, sys->gpus));
  simgrid::s4u::Actor::create("load-generator", platform.frontend, [generator] { (*generator)(); });
  return sys;
}

// What the failures did and cost: server time down, queries lost and re-issued, and the share of
// measured queries (completed or lost) that completed within their model's SLA target.
AvailabilityReport availability(const Scenario& scenario, const System& sys, double end, const RunResults& r) {
  AvailabilityReport a;
  const FaultStats f = sys.states->fault_stats(end);
  a.failures = f.faults;
  a.server_down_s = f.faulted_s;
  a.most_down = f.most_faulted;
  const double servers = scenario.total_servers();
  a.mean_servers_up = end > 0.0 ? servers - f.faulted_s / end : servers;
  a.all_up_fraction = end > 0.0 ? f.all_healthy_s / end : 1.0;
  a.lost = sys.tracker->lost();
  a.measured_lost = sys.tracker->lost_measured();
  a.retries = sys.tracker->retries();
  std::uint64_t within = 0;
  const auto& models = scenario.fleet.models;
  if (sys.fleet_metrics) {
    for (std::size_t m = 0; m < models.size(); ++m)
      within += sys.fleet_metrics->model(m).latency().count_at_most(models[m].sla.target_ms / 1e3);
  } else {
    within = sys.metrics->latency().count_at_most(models.front().sla.target_ms / 1e3);
  }
  const std::uint64_t asked = sys.metrics->measured() + a.measured_lost;
  a.within_sla = asked > 0 ? static_cast<double>(within) / static_cast<double>(asked) : 1.0;
  const auto nines = [](double x) { return x < 1.0 ? std::optional<double>(-std::log10(1.0 - x)) : std::nullopt; };
  a.query_nines = nines(a.within_sla);
  if (r.time_series && r.time_series->summary.fraction_met) {
    a.windows_met = r.time_series->summary.fraction_met;
    a.window_nines = nines(*a.windows_met);
  }
  return a;
}

RunResults collect_results(const Scenario& scenario, const System& sys, double end, const SimulationOptions& options) {
  const RunMetrics& metrics = *sys.metrics;
  const QueryTracker& tracker = *sys.tracker;
  const LoadGenerator& generator = *sys.generator;
  const EmbeddingCacheSpec* cache = scenario.fleet.embedding_cache();
  const ServiceSpec& service = scenario.fleet.models.front().first_service();
  RunResults r;
  r.scenario = scenario.name;
  r.seed = scenario.seed;
  r.arrived = tracker.arrived();
  r.completed = tracker.completed();
  r.virtual_seconds = end;
  r.service_type = service.type;
  if (service.type == "model") {
    r.service_model = service.model;
    r.service_profile = service.profile_file;
    r.service_source = service.profile_source;
    r.service_gpu_profile = service.gpu_profile_file;
    r.service_gpu_source = service.gpu_profile_source;
    r.service_model_file = service.model_file;
    r.service_table_rows = service.table_rows;
  }
  if (scenario.format >= 2) r.service_type = "models";
  const double window = metrics.window_open() ? end - metrics.window_start() : 0.0;
  const double arrival_span = metrics.window_open() ? generator.last_arrival() - metrics.window_start() : 0.0;
  double busy_total = 0.0;
  const std::string overloaded = arrival_span > 0.0 ? overload_verdict(sys.servers, sys.gpus, arrival_span) : "";
  for (const auto& s : sys.servers) {
    ServerUtilization u;
    u.name = s->host().name;
    const auto busy = s->core_busy_seconds(end);
    for (double b : busy) u.cores.push_back(window > 0.0 ? b / window : 0.0);
    const double busy_sum = std::accumulate(busy.begin(), busy.end(), 0.0);
    busy_total += busy_sum;
    u.cpu = window > 0.0 ? busy_sum / (window * s->host().cpu_cores) : 0.0;
    u.offered = arrival_span > 0.0 ? s->offered_work_seconds() / (arrival_span * s->host().cpu_cores) : 0.0;
    if (cache) {
      double tier_seconds = 0.0;
      for (const auto& t : sys.tiers[r.servers.size()])
        if (t) tier_seconds += t->server_core_seconds();
      u.tier_work = window > 0.0 ? tier_seconds / (window * s->host().cpu_cores) : 0.0;
    }
    r.requests_simulated += s->requests_served();
    r.servers.push_back(std::move(u));
  }
  double gpu_busy_total = 0.0;
  for (std::size_t k = 0; k < sys.gpus.size(); ++k) {
    const GpuDevice& g = *sys.gpus[k];
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
    r.gpu_queries += u.queries;
    r.gpu_stage_times.resize(kGpuSizeClasses);
    for (int c = 0; c < kGpuSizeClasses; ++c)
      r.gpu_stage_times[static_cast<std::size_t>(c)].add(g.stage_times()[static_cast<std::size_t>(c)]);
    r.requests_simulated += u.queries;
    r.servers[sys.gpu_server[k]].gpus.push_back(u);
  }
  // Each model's cache over every GPU keeping one (format 1: the run's; format 2: the model's).
  std::vector<std::optional<CacheReport>> cache_reports(scenario.fleet.models.size());
  for (std::size_t m = 0; m < cache_reports.size(); ++m) {
    if (!sys.cache_stats[m]) continue;
    const EmbeddingCacheSpec* spec = nullptr;
    for (std::size_t k = 0; k < scenario.fleet.kinds.size() && !spec; ++k) spec = scenario.fleet.embedding_cache(m, k);
    CacheReport report;
    report.mode = spec->mode == EmbeddingCacheSpec::Mode::keys ? "keys" : "analytic";
    for (const auto& g : sys.gpus)
      if (const GpuEmbeddingCache* c = g->cache(m)) report.counters.add(c->counters());
    sys.cache_stats[m]->fill(report, spec->refresh.has_value(), spec->updates.has_value());
    cache_reports[m] = std::move(report);
  }
  if (scenario.format < 2 && cache) r.embedding_cache = std::move(cache_reports.front());
  if (!sys.gpus.empty()) r.gpu_utilization = window > 0.0 ? gpu_busy_total / (window * static_cast<double>(sys.gpus.size())) : 0.0;
  r.mean_in_system = window > 0.0 ? tracker.in_system_area(end) / window : 0.0;
  r.cpu_utilization = window > 0.0 ? busy_total / (window * scenario.total_cores()) : 0.0;
  if (sys.dispatcher->offered_work_scales_with_rate() && !generator.saturated() && generator.stopped_early().empty() &&
      arrival_span > 0.0) {
    r.offered_bounds = offered_bounds(sys.servers, sys.gpus, sys.gpu_server, arrival_span);
  }
  r.saturated = generator.saturated() || !overloaded.empty();
  r.saturation_reason = generator.saturated() ? generator.saturation_reason() : overloaded;
  metrics.summarise(end, scenario.fleet.models.front().sla.percentile, scenario.fleet.models.front().sla.target_ms, r);
  if (sys.fleet_metrics) {
    FleetReportInput in{sys.fleet, sys.platform, *sys.fleet_metrics, r, window, end};
    r.datacenter = fleet_report(in);
    // The parameter server per model, and each group's hit rate per model it caches.
    for (std::size_t m = 0; m < cache_reports.size(); ++m) r.datacenter->models[m].embedding_cache = std::move(cache_reports[m]);
    for (std::size_t gi = 0; gi < scenario.fleet.groups.size(); ++gi)
      for (std::size_t m = 0; m < scenario.fleet.models.size(); ++m) {
        if (!scenario.fleet.embedding_cache_on_group(m, gi)) continue;
        CacheCounters c;
        for (std::size_t k = 0; k < sys.gpus.size(); ++k)
          if (sys.platform.servers[sys.gpu_server[k]].group == static_cast<int>(gi))
            if (const GpuEmbeddingCache* cache_m = sys.gpus[k]->cache(m)) c.add(cache_m->counters());
        if (c.unique > 0)
          r.datacenter->groups[gi].cache_hit_rates.emplace_back(scenario.fleet.models[m].name,
                                                               static_cast<double>(c.hits) / static_cast<double>(c.unique));
      }
    for (std::size_t gi = 0; gi < scenario.fleet.groups.size(); ++gi) {
      if (r.datacenter->groups[gi].cache_hit_rates.empty()) continue;
      double wait = 0.0, gpus = 0.0;
      for (std::size_t i = 0; i < r.servers.size(); ++i)
        if (sys.platform.servers[i].group == static_cast<int>(gi))
          for (const auto& g : r.servers[i].gpus) {
            wait += g.tier_wait;
            gpus += 1.0;
          }
      if (gpus > 0) r.datacenter->groups[gi].gpu_tier_wait = wait / gpus;
    }
    // The fleet's verdict: every model meets its own SLA; the top-level SLA is the binding model's.
    const DatacenterResults& dc = *r.datacenter;
    bool all = !r.saturated;
    for (const auto& m : dc.models) all = all && m.sla.met;
    for (const auto& m : dc.models)
      if (m.name == dc.binding_model) {
        r.sla_percentile = m.sla.percentile;
        r.sla_target_ms = m.sla.target_ms;
        r.sla_observed_ms = m.sla.observed_ms;
        r.sla_ci95_ms = m.sla.ci95_ms;
      }
    r.sla_met = all;
  }
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
  if (sys.series) r.time_series = sys.series->report(end, metrics.window_open() ? metrics.window_start() : end);
  if (sys.failures) r.availability = availability(scenario, sys, end, r);
  if (sys.autoscaler) r.autoscaling = sys.autoscaler->report(end);
  return r;
}

}  // namespace

RunResults simulate(const Scenario& scenario, const SimulationOptions& options) {
  if (g_engine_used) throw std::logic_error("simulate() runs once per process; use simulate_isolated()");
  g_engine_used = true;
  const auto wall_start = std::chrono::steady_clock::now();
  simgrid::s4u::Engine engine = make_engine();
  const std::unique_ptr<System> system = build_system(scenario, options);
  engine.run();
  RunResults r = collect_results(scenario, *system, simgrid::s4u::Engine::get_clock(), options);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return r;
}

}  // namespace recsim
