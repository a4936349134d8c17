#include "sim/engine/network_messages.h"

#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u/Link.hpp>

#include <stdexcept>

namespace recsim {
namespace {

// The instance of this simulation. s4u::Link's signal is process-wide and cannot be disconnected
// through its public interface, so one handler is connected once and forwards to whichever instance
// is alive.
NetworkMessages* g_active = nullptr;

}  // namespace

NetworkMessages::NetworkMessages(simgrid::s4u::Host* home) {
  if (g_active != nullptr) throw std::logic_error("NetworkMessages: one instance per simulation");
  g_active = this;
  static const bool connected = [] {
    simgrid::s4u::Link::on_communication_state_change_cb(
        [](simgrid::kernel::resource::NetworkAction& action, simgrid::kernel::resource::Action::State) {
          if (g_active == nullptr) return;
          // NetworkAction (SimGrid 3.32, src/kernel/resource/NetworkModel.hpp) derives from Action
          // alone, and its definition is not installed: Action is its only base, at offset 0.
          const auto& a = reinterpret_cast<const simgrid::kernel::resource::Action&>(action);
          if (a.get_state() == simgrid::kernel::resource::Action::State::FINISHED) g_active->arrived(a.get_activity());
        });
    return true;
  }();
  (void)connected;
  deliverer_ = simgrid::s4u::Actor::create("network-delivery", home, [this] { deliver(); })->daemonize();
}

NetworkMessages::~NetworkMessages() {
  if (g_active == this) g_active = nullptr;
}

void NetworkMessages::send(simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes, std::function<void()> then) {
  simgrid::s4u::CommPtr comm = simgrid::s4u::Comm::sendto_async(from, to, bytes);
  // SimGrid 3.32 leaves a communication of 0 bytes unstarted (its wait would start it; nothing
  // waits here): start it, so that it takes its route's latency alone.
  if (comm->get_state() != simgrid::s4u::Activity::State::STARTED) comm->start();
  const void* key = comm->get_impl();
  crossing_.emplace(key, std::make_pair(std::move(comm), std::move(then)));
}

void NetworkMessages::arrived(const void* activity) {
  const auto it = crossing_.find(activity);
  if (it == crossing_.end()) return;  // another component's communication (PCIe, Redis link)
  arrived_.push_back(std::move(it->second));
  crossing_.erase(it);
  if (parked_) {
    parked_ = false;
    deliverer_->resume();  // from the engine: runs at once, schedules the actor at this time
  }
}

void NetworkMessages::deliver() {
  for (;;) {
    while (arrived_.empty()) {
      parked_ = true;
      simgrid::s4u::this_actor::suspend();
    }
    auto [comm, then] = std::move(arrived_.front());
    arrived_.pop_front();
    comm = nullptr;
    then();
  }
}

}  // namespace recsim
