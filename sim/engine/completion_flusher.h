#pragma once
// The actor that delivers servers' completions at their virtual times (timely mode, see
// sim/engine/server.h): it keeps the servers' next completion times in a segment tree of minima
// (one entry per server, O(log N) to update, the earliest found at its root), sleeps until the
// earliest, and advances that server to it. A server whose next completion becomes earlier tells
// it (notify), which wakes it when it sleeps past that time. One actor for the whole fleet: the
// cost is one wake per distinct completion time, not an actor per core.
#include "sim/balancing/server_load_index.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Semaphore.hpp>

#include <cstddef>
#include <limits>
#include <memory>
#include <vector>

namespace recsim {

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

 private:
  void run();

  simgrid::s4u::Host* home_;
  std::vector<std::unique_ptr<Server>>& servers_;
  ServerLoadIndex next_;  // each server's next completion time (+infinity: none)
  simgrid::s4u::Actor* actor_ = nullptr;
  simgrid::s4u::SemaphorePtr wake_;
  bool parked_ = false;
  bool wake_sent_ = false;
  double sleeping_until_ = std::numeric_limits<double>::infinity();
};

}  // namespace recsim
