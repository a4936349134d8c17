#include "sim/engine/failure_injector.h"

#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/weibull_distribution.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

double up_time(const RandomFailures& f, Rng& rng) {
  // Weibull with mean mtbf: scale = mtbf / Gamma(1 + 1/shape).
  const double scale = f.mtbf_s / boost::math::tgamma(1.0 + 1.0 / f.shape);
  return boost::random::weibull_distribution<double>(f.shape, scale)(rng);
}

double repair_time(const RandomFailures& f, Rng& rng) { return boost::random::exponential_distribution<double>(1.0 / f.mttr_s)(rng); }

}  // namespace

FailureInjector::FailureInjector(const FailureSpec& spec, const Fleet& fleet, std::vector<std::unique_ptr<Server>>& servers,
                                 std::vector<std::vector<GpuDevice*>> gpus_of, Dispatcher& dispatcher, ServerStates& states,
                                 QueryTracker& tracker, std::uint64_t seed)
    : spec_(spec),
      servers_(servers),
      gpus_of_(std::move(gpus_of)),
      dispatcher_(dispatcher),
      states_(states),
      tracker_(tracker),
      random_(servers.size(), nullptr) {
  dispatcher_.need_clock();
  dispatcher_.on_unservable([this](std::uint32_t slot, double now) { caught(slot, now); });
  // The first server of each group (servers are numbered group by group).
  std::vector<std::size_t> first(fleet.groups.size() + 1, 0);
  for (std::size_t g = 0; g < fleet.groups.size(); ++g) first[g + 1] = first[g] + static_cast<std::size_t>(fleet.groups[g].count);
  for (const ScheduledFailure& f : spec.scheduled) {
    const auto g = static_cast<std::size_t>(f.group);
    std::size_t from = first[g], to = first[g + 1];
    if (f.server) {
      from += static_cast<std::size_t>(*f.server);
      to = from + 1;
    } else if (f.rack) {
      const auto per_rack = static_cast<std::size_t>(fleet.network.servers_per_rack);
      from += static_cast<std::size_t>(*f.rack) * per_rack;
      to = std::min(to, from + per_rack);
    }
    const Cause cause = f.rack ? Cause::isolated : Cause::failed;
    for (std::size_t s = from; s < to; ++s) {
      push(f.down_s, s, cause, true, false);
      if (f.up_s) push(*f.up_s, s, cause, false, false);
    }
  }
  rng_.resize(servers.size());
  for (const RandomFailures& f : spec.random)
    for (std::size_t s = 0; s < servers.size(); ++s)
      if (servers[s]->host().kind == f.kind) {
        random_[s] = &f;
        rng_[s] = make_stream(seed, StreamId::failures, static_cast<std::uint32_t>(s));
        push(up_time(f, rng_[s]), s, Cause::failed, true, true);
      }
}

void FailureInjector::push(double time, std::size_t server, Cause cause, bool down, bool random) {
  events_.push({time, seq_++, server, cause, down, random});
}

void FailureInjector::start(simgrid::s4u::Host* home) {
  simgrid::s4u::Actor::create("failures", home, [this] { run_events(); })->daemonize();
  retry_actor_ = simgrid::s4u::Actor::create("retries", home, [this] { run_retries(); })->daemonize();
}

void FailureInjector::run_events() {
  while (!events_.empty()) {
    const Event e = events_.top();
    events_.pop();
    if (e.time > simgrid::s4u::Engine::get_clock()) simgrid::s4u::this_actor::sleep_until(e.time);
    apply(e);
  }
}

void FailureInjector::apply(const Event& e) {
  const double now = simgrid::s4u::Engine::get_clock();
  const std::size_t s = e.server;
  if (e.random) {
    const RandomFailures& f = *random_[s];
    push(now + (e.down ? repair_time(f, rng_[s]) : up_time(f, rng_[s])), s, Cause::failed, !e.down, true);
  }
  const bool was_faulted = states_.faulted(s);
  Server& server = *servers_[s];
  if (states_.fault(s, e.cause, e.down, now)) {
    std::vector<std::uint32_t> queries = server.fail(now);
    for (GpuDevice* g : gpus_of_[s]) {
      const auto more = g->fail(now);
      queries.insert(queries.end(), more.begin(), more.end());
    }
    std::sort(queries.begin(), queries.end());
    queries.erase(std::unique(queries.begin(), queries.end()), queries.end());
    for (std::uint32_t slot : queries) caught(slot, now);
  } else if (was_faulted && !states_.faulted(s)) {
    server.recover(now);
  }
}

void FailureInjector::caught(std::uint32_t slot, double now) {
  const int before = tracker_.abort(slot);
  if (!spec_.retry || before >= spec_.max_retries) {
    tracker_.lose(slot, now);
    return;
  }
  retries_.push_back({now + spec_.retry_timeout_s, slot});
  if (retry_parked_) {
    retry_parked_ = false;
    retry_actor_->resume();
  }
}

void FailureInjector::run_retries() {
  for (;;) {
    if (retries_.empty()) {
      retry_parked_ = true;
      simgrid::s4u::this_actor::suspend();
      continue;
    }
    const Retry r = retries_.front();
    if (r.due > simgrid::s4u::Engine::get_clock()) {
      simgrid::s4u::this_actor::sleep_until(r.due);
      continue;  // (the front is still the earliest: every retry waits the same timeout)
    }
    retries_.pop_front();
    const double now = simgrid::s4u::Engine::get_clock();
    tracker_.retry(r.slot, now);
    dispatcher_.issue(r.slot, tracker_.model(r.slot), tracker_.size(r.slot), now);
  }
}

}  // namespace recsim
