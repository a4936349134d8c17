#include "sim/engine/server.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>

namespace recsim {

Server::Server(ServerHost host, std::vector<const ServiceTimeModel*> services, Rng service_rng, QueryTracker& tracker,
               const RunMetrics& metrics)
    : host_(std::move(host)), services_(std::move(services)), rng_(std::move(service_rng)), tracker_(tracker), metrics_(metrics) {
  cores_.resize(static_cast<std::size_t>(host_.cpu_cores));
}

void Server::start() {
  for (int c = 0; c < host_.cpu_cores; ++c)
    cores_[static_cast<std::size_t>(c)].actor =
        simgrid::s4u::Actor::create(host_.name + "/core" + std::to_string(c), host_.host, [this, c] { worker(c); })
            ->daemonize();
}

void Server::submit(std::uint32_t slot, int items, int model) {
  const double seconds = services_[static_cast<std::size_t>(model)]->sample_seconds(items, rng_);
  if (metrics_.window_open()) offered_work_ += seconds;
  queue_.push_back({slot, items, model, seconds});
  ++outstanding_;
  load_changed();
  if (!idle_.empty()) {
    const int core = idle_.front();
    idle_.pop_front();
    cores_[static_cast<std::size_t>(core)].actor->resume();
  }
}

double Server::busy_since_window(double start, double end) const {
  if (!metrics_.window_open()) return 0.0;
  return std::max(0.0, end - std::max(start, metrics_.window_start()));
}

void Server::worker(int c) {
  Core& core = cores_[static_cast<std::size_t>(c)];
  for (;;) {
    while (queue_.empty()) {
      idle_.push_back(c);
      simgrid::s4u::this_actor::suspend();
    }
    const Request request = queue_.front();
    queue_.pop_front();
    const double start = simgrid::s4u::Engine::get_clock();
    core.current_start = start;
    tracker_.request_started(request.query, start);
    const double others_busy =
        host_.cpu_cores > 1 ? static_cast<double>(busy_cores_) / (host_.cpu_cores - 1) : 0.0;
    const double service = request.service_seconds * services_[static_cast<std::size_t>(request.model)]->contention_factor(request.items, others_busy);
    ++busy_cores_;
    simgrid::s4u::this_actor::sleep_for(service);
    --busy_cores_;
    const double end = start + service;
    core.busy_seconds += busy_since_window(start, end);
    core.current_start = -1.0;
    --outstanding_;
    load_changed();
    ++served_;
    tracker_.request_finished(request.query, end);
  }
}

std::vector<double> Server::core_busy_seconds(double end) const {
  std::vector<double> busy;
  for (const auto& core : cores_)
    busy.push_back(core.busy_seconds + (core.current_start >= 0.0 ? busy_since_window(core.current_start, end) : 0.0));
  return busy;
}

}  // namespace recsim
