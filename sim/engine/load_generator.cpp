#include "sim/engine/load_generator.h"

#include "sim/scheduling/scheduler_policy.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>

namespace recsim {

LoadGenerator::LoadGenerator(const Scenario& scenario, QuerySource& source, SystemUnderTest& sut, QueryTracker& tracker,
                             TuneConfig& live, std::function<void(const Progress&)> progress)
    : scenario_(scenario),
      source_(source),
      sut_(sut),
      tracker_(tracker),
      live_(live),
      progress_(std::move(progress)),
      empty_(simgrid::s4u::Semaphore::create(0)) {
  tracker_.on_empty([this] {
    if (!waiting_for_empty_) return;
    waiting_for_empty_ = false;
    empty_->release();
  });
  // The online policy climbs one model's configuration on every server (the parser allows it only
  // for a fleet of one model with one scheduler).
  const FleetModel& model = scenario.fleet.models.front();
  if (scheduler_policy(model.scheduler.front().policy).online) {
    OnlineClimbOptions o;
    o.spec = model.scheduler.front().online;
    o.percentile = model.sla.percentile;
    o.target_seconds = model.sla.target_ms / 1e3;
    o.start_qps = scenario.arrival.qps;
    online_ = std::make_unique<OnlineHillClimber>(std::move(o));
    live_ = online_->config();
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

void LoadGenerator::operator()() {
  const std::uint64_t total = scenario_.run.queries;
  const std::uint64_t warmup = scenario_.run.warmup_queries;
  const std::uint64_t max_in_flight = scenario_.in_flight_bound();
  constexpr std::uint64_t kProgressEvery = 4096;
  // The overload check reads every server and GPU: at most once per query each.
  const std::uint64_t overload_check_every =
      std::max<std::uint64_t>(4096, static_cast<std::uint64_t>(scenario_.total_servers()) + static_cast<std::uint64_t>(scenario_.total_gpus()));
  QueryArrival arrival;
  const bool clocked = sut_.needs_clock() || online_;
  double now = 0.0;
  for (std::uint64_t i = 0; i < total; ++i) {
    if (!source_.next(arrival)) break;
    const double at = arrival_time(arrival);
    if (clocked) {
      const double gap = at - simgrid::s4u::Engine::get_clock();
      if (gap > 0.0) simgrid::s4u::this_actor::sleep_for(gap);
    }
    // The engine's clock, not the arrival time, when the system reads the clock: they differ by
    // rounding, so a request that starts at once must see a wait of exactly zero. Otherwise the
    // arrival time itself (never earlier than the previous one).
    now = clocked ? simgrid::s4u::Engine::get_clock() : std::max(now, at);
    if (online_ && online_->draining()) {
      // Between configurations the queues drain; this query then arrives into an empty system.
      wait_until_empty();
      now = simgrid::s4u::Engine::get_clock();
      online_->drained(now);
      online_clock_ = now;
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
    last_arrival_ = now;
    bool measured = i >= warmup;
    if (online_) {
      if (!online_->finished()) climb_queries_ = i + 1;
      // The first measured query: the statistics' batches are sized for the queries left.
      if (measured && online_->finished() && !tracker_.metrics().window_open()) tracker_.expect_measured(total - i);
      measured = measured && online_->finished();
      live_ = online_->config();
    }
    if (measured && overload_check_ && ++measured_ % overload_check_every == 0) {
      saturation_reason_ = overload_check_(now, measured_);
      if (!saturation_reason_.empty()) break;
    }
    const std::uint32_t slot = tracker_.open(now, 0, measured, arrival.model, arrival.size);
    sut_.issue(slot, arrival.model, arrival.size, now);
    if (progress_ && i % kProgressEvery == 0) progress_({now, tracker_.completed(), total});
  }
  // Without sleeps the clock is still at the start: it catches up to the last arrival, where a run
  // that stops early ends (and where the completions still due are delivered from).
  if (!clocked && now > simgrid::s4u::Engine::get_clock()) simgrid::s4u::this_actor::sleep_until(now);
  if (!saturated() && stopped_early_.empty()) {
    sut_.arrivals_done();
    wait_until_empty();
  }
  if (progress_) progress_({simgrid::s4u::Engine::get_clock(), tracker_.completed(), total});
}

}  // namespace recsim
