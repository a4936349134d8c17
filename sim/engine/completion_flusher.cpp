#include "sim/engine/completion_flusher.h"

#include "sim/engine/server.h"

#include <simgrid/s4u/Engine.hpp>

namespace recsim {

CompletionFlusher::CompletionFlusher(simgrid::s4u::Host* home, std::vector<std::unique_ptr<Server>>& servers)
    : home_(home), servers_(servers), next_(servers.size()), wake_(simgrid::s4u::Semaphore::create(0)) {
  for (std::size_t i = 0; i < servers.size(); ++i) next_.set(i, Server::kNever);
}

void CompletionFlusher::start() {
  actor_ = simgrid::s4u::Actor::create("completions", home_, [this] { run(); })->daemonize();
}

void CompletionFlusher::notify(std::size_t index, double time) {
  next_.set(index, time);
  if (parked_) {
    parked_ = false;
    actor_->resume();
  } else if (time < sleeping_until_ && !wake_sent_) {
    wake_sent_ = true;
    wake_->release();
  }
}

void CompletionFlusher::run() {
  for (;;) {
    const double due = next_.min();
    if (due == Server::kNever) {
      parked_ = true;
      simgrid::s4u::this_actor::suspend();
      continue;
    }
    const double now = simgrid::s4u::Engine::get_clock();
    if (due > now) {
      // The server due then is cold in a large fleet: its lines come while other events run.
      servers_[next_.argmin()]->prefetch_visit();
      sleeping_until_ = due;
      const bool timed_out = wake_->acquire_timeout(due - now);
      sleeping_until_ = std::numeric_limits<double>::infinity();
      if (!timed_out) {  // an earlier completion came in: look again
        wake_sent_ = false;
        continue;
      }
      if (next_.min() < due) continue;  // (a notify raced the timeout)
    }
    const std::size_t index = next_.argmin();  // the first server due then (as least_from(0), read at the root)
    Server& server = *servers_[index];
    server.advance_to(due);
    next_.set(index, server.next_completion());
  }
}

}  // namespace recsim
