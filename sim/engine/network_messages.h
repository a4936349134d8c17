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
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Host.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>

namespace recsim {

class NetworkMessages {
 public:
  // Creates the delivery actor (a daemon) on `home`. One instance per simulation (SimGrid's engine
  // is one per process).
  explicit NetworkMessages(simgrid::s4u::Host* home);
  ~NetworkMessages();
  NetworkMessages(const NetworkMessages&) = delete;
  NetworkMessages& operator=(const NetworkMessages&) = delete;

  // Sends `bytes` (0: the route's latency alone) from `from` to `to`, then runs `then` in the delivery actor at arrival time.
  void send(simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes, std::function<void()> then);

 private:
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
};

}  // namespace recsim
