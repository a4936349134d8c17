#pragma once
// The actor that delivers servers' completions at their virtual times (timely mode, see
// sim/engine/server.h): it keeps the servers' next completion times in a segment tree of minima
// (one entry per server, O(log N) to update, the earliest found at its root), sleeps until the
// earliest, and advances that server to it. A server whose next completion becomes earlier tells
// it (notify), which wakes it when it sleeps past that time. One actor for the whole fleet: the
// cost is one wake per distinct completion time, not an actor per core.
//
// A lazy run's end (drain): the queries have stopped arriving and nothing but the GPUs' completions
// happens any more, so the completions still due (in a large fleet, the hundreds of thousands of
// queries in flight) need no wake each. They are listed in the order the actor would deliver them
// (by end, then server; each server's in its own order) and delivered in that order: those due by
// a completion the tracker hears from elsewhere (a GPU's) just before it, the rest when the actor
// wakes once, at the last one's time. Every query completes at the same time, in the same order as
// when the actor delivers each at its time (ties with a GPU's completion at the very same time
// aside: the listed one goes first).
#include "sim/balancing/server_load_index.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

namespace recsim {

class QueryTracker;
class Server;

class CompletionFlusher {
 public:
  CompletionFlusher(simgrid::s4u::Host* home, std::vector<std::unique_ptr<Server>>& servers);
  CompletionFlusher(const CompletionFlusher&) = delete;
  CompletionFlusher& operator=(const CompletionFlusher&) = delete;

  // Creates the actor (a daemon: it ends with the simulation).
  void start();
  // Server `index` has a completion at `time` earlier than any it had before.
  void notify(std::size_t index, double time);
  // Delivers every completion still due as a drain (above). The servers must not be in timely mode
  // and must take no more requests.
  void drain(QueryTracker& tracker);

 private:
  void run();
  // Delivers the listed completions due by `t`, in order.
  void deliver_listed(double t);

  simgrid::s4u::Host* home_;
  std::vector<std::unique_ptr<Server>>& servers_;
  struct Listed {  // a completion drain() lists
    double end;
    Server* server;
    std::uint32_t index;  // the server's (ties: the lower first, as the actor's argmin)
    std::uint32_t query;
  };
  std::vector<Listed> listed_;  // by end, then server
  std::size_t next_listed_ = 0;
  QueryTracker* tracker_ = nullptr;
  bool delivering_ = false;  // inside deliver_listed (the tracker calls it back)
  ServerLoadIndex next_;  // each server's next completion time (+infinity: none)
  simgrid::s4u::Actor* actor_ = nullptr;
  simgrid::s4u::SemaphorePtr wake_;
  bool parked_ = false;
  bool wake_sent_ = false;
  double sleeping_until_ = std::numeric_limits<double>::infinity();
};

}  // namespace recsim
