#include "sim/engine/completion_flusher.h"

#include "sim/engine/server.h"

#include <simgrid/s4u/Engine.hpp>

namespace recsim {

CompletionFlusher::CompletionFlusher(simgrid::s4u::Host* home, std::vector<std::unique_ptr<Server>>& servers)
    : home_(home), servers_(servers), wake_(simgrid::s4u::Semaphore::create(0)) {}

void CompletionFlusher::start() {
  actor_ = simgrid::s4u::Actor::create("completions", home_, [this] { run(); })->daemonize();
}

void CompletionFlusher::notify(std::size_t index, double time) {
  due_.push({time, index});
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
    if (due_.empty()) {
      parked_ = true;
      simgrid::s4u::this_actor::suspend();
      continue;
    }
    const Due next = due_.top();
    Server& server = *servers_[next.server];
    if (server.next_completion() != next.time) {  // stale: delivered already, or superseded
      due_.pop();
      continue;
    }
    const double now = simgrid::s4u::Engine::get_clock();
    if (next.time > now) {
      sleeping_until_ = next.time;
      const bool timed_out = wake_->acquire_timeout(next.time - now);
      sleeping_until_ = std::numeric_limits<double>::infinity();
      if (!timed_out) {  // an earlier completion came in: look again
        wake_sent_ = false;
        continue;
      }
    }
    due_.pop();
    server.advance_to(next.time);
    if (const double t = server.next_completion(); t != Server::kNever) due_.push({t, next.server});
  }
}

}  // namespace recsim
