#pragma once
// Messages across the datacenter network in virtual time: each message is a SimGrid communication
// of its bytes between two hosts (latency + bytes / bandwidth alone, max-min shared with the other
// messages on each link of its route); when it arrives, its continuation runs (hand the query to
// its server, or complete it at the frontend).
//
// No actor waits on a message. The sender starts the communication without waiting, and SimGrid
// tells this object when its network action finishes (s4u::Link's communication-state signal, from
// the engine, at the arrival time); the arrivals go into a FIFO that one delivery actor empties, in
// arrival order, at that same virtual time. An actor per message in flight (the earlier design)
// cost two context switches per message and, in a large fleet with a hundred messages in flight,
// a cold actor stack at each of them; one delivery actor stays hot whatever the fleet's size.
//
// Every message starts when it is sent: there is no cap on the messages in flight, which would
// delay messages below saturation in a large fleet (messages in flight grow with the fleet's rate
// times the route's latency: about 280 at 2,500 servers of 4,500 queries/s over 25 us). Each query
// has at most one message on the wire, so `run.max_in_flight` bounds them.
//
// Two models of the same network (`network.model`): `flow` (the default) sends each message through
// recsim's own flow-level network (sim/engine/flow_network.h: max-min sharing exactly as SimGrid's
// CM02 computes it, at O(links) per message while no link is shared beyond its bandwidth): the
// message waits its route's latency, then its bytes cross as a flow; one SimGrid kernel timer, set
// at the next of those events, drives them. `simgrid` makes each message a SimGrid communication
// (the reference: O(messages in flight) per message in SimGrid 3.32).
#include "sim/engine/flow_network.h"

#include <boost/container/small_vector.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

namespace simgrid::kernel::timer {
class Timer;
}

namespace recsim {

class NetworkMessages {
 public:
  // Creates the delivery actor (a daemon) on `home`. One instance per simulation (SimGrid's engine
  // is one per process).
  explicit NetworkMessages(simgrid::s4u::Host* home, bool flow_model = true);
  ~NetworkMessages();
  NetworkMessages(const NetworkMessages&) = delete;
  NetworkMessages& operator=(const NetworkMessages&) = delete;

  // The route from `from` to `to`, looked up once: a handle for send().
  std::size_t route_id(simgrid::s4u::Host* from, simgrid::s4u::Host* to);
  // Sends `bytes` (0: the route's latency alone) along route `route`, then runs `then` in the
  // delivery actor at arrival time.
  void send(std::size_t route, std::uint64_t bytes, std::function<void()> then);
  // Flow model: how often the rates of connected messages were recomputed (sim/engine/flow_network.h).
  std::uint64_t rebalances() const { return flows_.rebalances(); }

 private:
  struct Route {
    simgrid::s4u::Host* from = nullptr;
    simgrid::s4u::Host* to = nullptr;
    boost::container::small_vector<std::size_t, 4> links;  // in flows_ (inside the route: one line fewer per message)
    double latency = 0.0;
  };
  struct Message {
    std::size_t route = 0;
    double bytes = 0.0;
    std::function<void()> then;
  };
  struct Waiting {  // a message in its latency phase
    double until;
    std::uint64_t seq;
    std::uint32_t message;
    bool operator>(const Waiting& o) const { return until > o.until || (until == o.until && seq > o.seq); }
  };
  void on_timer();  // maestro: the events due now
  void arm();       // maestro: the timer at the next event
  void hand_over(std::function<void()> then);  // to the delivery actor

  void arrived(const void* activity);  // called by the engine (maestro), not by an actor
  void deliver();                      // the delivery actor

  // Messages crossing, by their communication's kernel activity; the CommPtr keeps the activity
  // alive (and its address unique) until the arrival is seen.
  std::unordered_map<const void*, std::pair<simgrid::s4u::CommPtr, std::function<void()>>> crossing_;
  // To run, in arrival order, with their communications: those are released here, by the delivery
  // actor, once SimGrid has finished them (releasing one earlier makes SimGrid print a backtrace).
  std::deque<std::pair<simgrid::s4u::CommPtr, std::function<void()>>> arrived_;
  simgrid::s4u::Actor* deliverer_ = nullptr;
  bool parked_ = false;

  // The flow model.
  bool flow_model_ = true;
  FlowNetwork flows_;
  std::unordered_map<const simgrid::s4u::Link*, std::size_t> link_index_;
  struct PairHash {
    std::size_t operator()(const std::pair<const simgrid::s4u::Host*, const simgrid::s4u::Host*>& p) const {
      return std::hash<const void*>()(p.first) * 31 + std::hash<const void*>()(p.second);
    }
  };
  std::vector<Route> routes_;
  std::unordered_map<std::pair<const simgrid::s4u::Host*, const simgrid::s4u::Host*>, std::size_t, PairHash> route_ids_;
  std::vector<Message> messages_;
  std::vector<std::uint32_t> free_messages_;
  std::priority_queue<Waiting, std::vector<Waiting>, std::greater<Waiting>> waiting_;
  std::uint64_t seq_ = 0;
  std::vector<std::uint64_t> ended_;  // scratch
  simgrid::kernel::timer::Timer* timer_ = nullptr;
  double timer_at_ = 0.0;
};

}  // namespace recsim
