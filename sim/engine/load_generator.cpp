#include "sim/engine/load_generator.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace recsim {
namespace {

// The item with the least load; ties go to the first at or after a rotating start (advanced on every
// call), so idle servers or GPUs share the load instead of the first one taking it all.
template <class T, class Load>
T& least_loaded(const std::vector<std::unique_ptr<T>>& items, std::size_t& start, Load load) {
  const std::size_t n = items.size();
  std::size_t best = start;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    if (load(*items[i]) < load(*items[best])) best = i;
  }
  start = (start + 1) % n;
  return *items[best];
}

}  // namespace

LoadGenerator::LoadGenerator(const Scenario& scenario, QuerySource& source,
                             std::vector<std::unique_ptr<Server>>& servers,
                             std::vector<std::unique_ptr<GpuDevice>>& gpus, QueryTracker& tracker,
                             std::function<void(const Progress&)> progress)
    : scenario_(scenario),
      source_(source),
      servers_(servers),
      gpus_(gpus),
      tracker_(tracker),
      progress_(std::move(progress)),
      policy_(scenario.scheduler.batch_size),
      empty_(simgrid::s4u::Semaphore::create(0)),
      loads_(servers.size()),
      balancer_(balancer_policy(scenario.scheduler.server_selection).make(servers.size())),
      selection_rng_(make_stream(scenario.seed, StreamId::selection)),
      view_{loads_, {}, selection_rng_} {
  // Servers keep the load index current (O(log N) per request) only for a policy that reads it.
  const bool reads_loads = servers_.size() > 1 && balancer_policy(scenario.scheduler.server_selection).reads_loads;
  for (std::size_t i = 0; i < servers_.size(); ++i) {
    if (reads_loads) servers_[i]->report_load_to(loads_, i);
    view_.cores.push_back(servers_[i]->host().cpu_cores);
  }
  tracker_.on_empty([this] {
    if (!waiting_for_empty_) return;
    waiting_for_empty_ = false;
    empty_->release();
  });
  if (scenario.scheduler.policy == SchedulerSpec::Policy::deeprecsched_online) {
    OnlineClimbOptions o;
    o.spec = scenario.scheduler.online;
    o.percentile = scenario.sla.percentile;
    o.target_seconds = scenario.sla.target_ms / 1e3;
    o.start_qps = scenario.arrival.qps;
    online_ = std::make_unique<OnlineHillClimber>(std::move(o));
    tracker_.on_complete([this](double now, double latency) { online_->complete(now, latency); });
  }
}

double LoadGenerator::arrival_time(const QueryArrival& arrival) {
  if (!online_) return arrival.time;
  // The source's gaps are unit-rate gaps / qps: rescaled, they keep their random numbers.
  const double gap = arrival.time - source_last_;
  source_last_ = arrival.time;
  const double scale = online_->finished() ? 1.0 : online_->gap_seconds() * scenario_.arrival.qps;
  online_clock_ += gap * scale;
  return online_clock_;
}

void LoadGenerator::wait_until_empty() {
  if (tracker_.in_flight() == 0) return;
  waiting_for_empty_ = true;
  empty_->acquire();
}

Server& LoadGenerator::select_server() {
  if (servers_.size() == 1) return *servers_.front();
  return *servers_[balancer_->choose(view_)];
}

GpuDevice& LoadGenerator::select_gpu() {
  // Fewest queries queued or in progress.
  return least_loaded(gpus_, next_gpu_, [](const GpuDevice& g) { return g.outstanding(); });
}

void LoadGenerator::operator()() {
  const std::uint64_t total = scenario_.run.queries;
  const std::uint64_t warmup = scenario_.run.warmup_queries;
  const std::uint64_t max_in_flight = scenario_.run.max_in_flight;
  constexpr std::uint64_t kProgressEvery = 4096;
  QueryArrival arrival;
  for (std::uint64_t i = 0; i < total; ++i) {
    if (!source_.next(arrival)) break;
    const double gap = arrival_time(arrival) - simgrid::s4u::Engine::get_clock();
    if (gap > 0.0) simgrid::s4u::this_actor::sleep_for(gap);
    if (online_ && online_->draining()) {
      // Between configurations the queues drain; this query then arrives into an empty system.
      wait_until_empty();
      online_->drained(simgrid::s4u::Engine::get_clock());
      online_clock_ = simgrid::s4u::Engine::get_clock();
    }
    if (tracker_.in_flight() >= max_in_flight) {
      saturation_reason_ = "more than " + std::to_string(max_in_flight) +
                           " queries in the system (run.max_in_flight): the servers cannot keep up";
      break;
    }
    if (tracker_.metrics().sla_missed_for_certain()) {
      stopped_early_ = std::to_string(tracker_.metrics().over_target()) + " measured queries over the SLA target: missed whatever the rest do";
      break;
    }
    // The engine's clock, not arrival.time: they differ by rounding, and the workers read the clock,
    // so a request that starts at once must see a wait of exactly zero.
    const double now = simgrid::s4u::Engine::get_clock();
    last_arrival_ = now;
    bool measured = i >= warmup;
    bool to_gpu = scenario_.scheduler.to_gpu(arrival.size);
    if (online_) {
      if (!online_->finished()) climb_queries_ = i + 1;
      // The first measured query: the statistics' batches are sized for the queries left.
      if (measured && online_->finished() && !tracker_.metrics().window_open()) tracker_.expect_measured(total - i);
      measured = measured && online_->finished();
      const TuneConfig& config = online_->config();
      to_gpu = config.gpu_threshold && arrival.size >= *config.gpu_threshold;
      if (config.batch_size != policy_.batch_size()) policy_ = StaticPolicy(config.batch_size);
    }
    if (to_gpu) {
      const std::uint32_t slot = tracker_.open(now, 1, measured);
      select_gpu().submit(slot, arrival.size);
      if (progress_ && i % kProgressEvery == 0) progress_({now, tracker_.completed(), total});
      continue;
    }
    const int requests = policy_.request_count(arrival.size);
    const std::uint32_t slot = tracker_.open(now, requests, measured);
    Server& server = select_server();
    for (int r = 0; r < requests; ++r) server.submit(slot, policy_.request_items(arrival.size, r));
    if (progress_ && i % kProgressEvery == 0) progress_({now, tracker_.completed(), total});
  }
  if (!saturated() && stopped_early_.empty()) wait_until_empty();
  if (progress_) progress_({simgrid::s4u::Engine::get_clock(), tracker_.completed(), total});
}

}  // namespace recsim
