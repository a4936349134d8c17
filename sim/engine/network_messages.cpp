#include "sim/engine/network_messages.h"

#include "sim/engine/free_slots.h"

#include <simgrid/kernel/Timer.hpp>
#include <simgrid/kernel/resource/Action.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/simix.hpp>

#include <algorithm>

#include <stdexcept>

namespace recsim {
namespace {

// The instance of this simulation. s4u::Link's signal is process-wide and cannot be disconnected
// through its public interface, so one handler is connected once and forwards to whichever instance
// is alive.
NetworkMessages* g_active = nullptr;

}  // namespace

NetworkMessages::NetworkMessages(simgrid::s4u::Host* home, bool flow_model) : flow_model_(flow_model) {
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
  // When the run ends with messages still on the wire, the daemon is killed before the engine stops:
  // nothing may be handed to it then.
  deliverer_->on_exit([this](bool) {
    if (g_active != this) return;  // this object is gone (a run that failed while being built)
    deliverer_ = nullptr;
    if (timer_ != nullptr) {
      timer_->remove();
      timer_ = nullptr;
    }
  });
}

NetworkMessages::~NetworkMessages() {
  if (g_active == this) g_active = nullptr;
  if (timer_ != nullptr) timer_->remove();
}

std::size_t NetworkMessages::route_id(simgrid::s4u::Host* from, simgrid::s4u::Host* to) {
  const std::pair<const simgrid::s4u::Host*, const simgrid::s4u::Host*> key{from, to};
  if (const auto it = route_ids_.find(key); it != route_ids_.end()) return it->second;
  Route r;
  r.from = from;
  r.to = to;
  if (flow_model_) {
    std::vector<simgrid::s4u::Link*> links;
    from->route_to(to, links, &r.latency);
    for (const simgrid::s4u::Link* link : links) {
      auto [at, added] = link_index_.emplace(link, 0);
      if (added) at->second = flows_.add_link(link->get_bandwidth());
      r.links.push_back(at->second);
    }
  }
  routes_.push_back(std::move(r));
  route_ids_.emplace(key, routes_.size() - 1);
  return routes_.size() - 1;
}

void NetworkMessages::send(std::size_t route, std::uint64_t bytes, std::function<void()> then) {
  const Route& r = routes_[route];
  if (flow_model_) {
    const std::uint32_t id = take_free_slot(messages_, free_messages_);
    messages_[id] = {route, static_cast<double>(bytes), std::move(then)};
    const double until = simgrid::s4u::Engine::get_clock() + r.latency;
    waiting_.push({until, seq_++, id});
    // The timer moves only when this is the next event (routes of one latency: rarely).
    if (timer_ == nullptr || until < timer_at_) simgrid::kernel::actor::simcall_answered([this] { arm(); });
    return;
  }
  simgrid::s4u::CommPtr comm = simgrid::s4u::Comm::sendto_async(r.from, r.to, bytes);
  // SimGrid 3.32 leaves a communication of 0 bytes unstarted (its wait would start it; nothing
  // waits here): start it, so that it takes its route's latency alone.
  if (comm->get_state() != simgrid::s4u::Activity::State::STARTED) comm->start();
  const void* key = comm->get_impl();
  crossing_.emplace(key, std::make_pair(std::move(comm), std::move(then)));
}

void NetworkMessages::arm() {
  const double next = std::min(waiting_.empty() ? FlowNetwork::kNever : waiting_.top().until, flows_.next_end());
  if (timer_ != nullptr && timer_at_ == next) return;
  if (timer_ != nullptr) {
    timer_->remove();
    timer_ = nullptr;
  }
  if (next == FlowNetwork::kNever || deliverer_ == nullptr) return;
  timer_at_ = next;
  timer_ = simgrid::kernel::timer::Timer::set(next, [this] {
    timer_ = nullptr;  // SimGrid deletes it after this call
    on_timer();
  });
}

void NetworkMessages::on_timer() {
  const double now = simgrid::s4u::Engine::get_clock();
  for (bool again = true; again;) {
    again = false;
    // Flows that end now leave their links before messages whose latency ends now start on them.
    ended_.clear();
    flows_.finish_due(now, ended_);
    for (const std::uint64_t tag : ended_) {
      const auto id = static_cast<std::uint32_t>(tag);
      hand_over(std::move(messages_[id].then));
      free_messages_.push_back(id);
      again = true;
    }
    while (!waiting_.empty() && waiting_.top().until <= now) {
      const std::uint32_t id = waiting_.top().message;
      waiting_.pop();
      again = true;
      Message& m = messages_[id];
      if (m.bytes > 0.0) {
        flows_.start(now, m.bytes, std::span<const std::size_t>(routes_[m.route].links.data(), routes_[m.route].links.size()), id);
        continue;
      }
      hand_over(std::move(m.then));  // 0 bytes: the route's latency alone
      free_messages_.push_back(id);
    }
  }
  arm();
}

void NetworkMessages::hand_over(std::function<void()> then) {
  if (deliverer_ == nullptr) return;  // the run has ended
  arrived_.emplace_back(nullptr, std::move(then));
  if (parked_) {
    parked_ = false;
    deliverer_->resume();  // from the engine: runs at once, schedules the actor at this time
  }
}

void NetworkMessages::arrived(const void* activity) {
  const auto it = crossing_.find(activity);
  if (it == crossing_.end()) return;  // another component's communication (PCIe, Redis link)
  arrived_.push_back(std::move(it->second));
  crossing_.erase(it);
  if (parked_ && deliverer_ != nullptr) {
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
