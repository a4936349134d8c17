#include "sim/engine/network_porters.h"

#include <simgrid/s4u/Comm.hpp>

#include <string>

namespace recsim {

void NetworkPorters::send(simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes, std::function<void()> then) {
  queue_.push_back({from, to, bytes, std::move(then)});
  if (!idle_.empty()) {
    const std::size_t p = idle_.back();
    idle_.pop_back();
    porters_[p]->resume();
    return;
  }
  if (porters_.size() >= kMaxInFlight) return;  // a busy porter takes it next
  const std::size_t index = porters_.size();
  porters_.push_back(nullptr);
  porters_[index] = simgrid::s4u::Actor::create("porter-" + std::to_string(index), home_, [this, index] { porter(index); })
                        ->daemonize();
}

void NetworkPorters::porter(std::size_t index) {
  for (;;) {
    while (queue_.empty()) {
      idle_.push_back(index);
      simgrid::s4u::this_actor::suspend();
    }
    Message m = std::move(queue_.front());
    queue_.pop_front();
    simgrid::s4u::Comm::sendto(m.from, m.to, m.bytes);
    m.then();
  }
}

}  // namespace recsim
