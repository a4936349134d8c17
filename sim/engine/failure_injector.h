#pragma once
// Carries out the scenario's failures (sim/failures/failure_spec.h) in virtual time: one actor
// takes the failure and repair events in time order (the scheduled ones, and each randomly failing
// server's alternating up and down times drawn from its own stream), brings servers down and up
// (the server and its GPUs drop what they hold; the dispatcher routes around it; the observers hear
// its state), and hands each query a failure caught to a second actor that re-issues it after the
// timeout (every re-issue waits the same timeout, so they come due in the order they were caught),
// or loses it when re-issues are off or spent. Whether a server serves is ServerStates' (a server
// down for two reasons at once, its own failure and its rack's, comes back when both are over).
#include "sim/engine/dispatcher.h"
#include "sim/engine/gpu_device.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/engine/server.h"
#include "sim/engine/server_states.h"
#include "sim/failures/failure_spec.h"
#include "sim/scenario/fleet.h"
#include "workloads/random_stream.h"

#include <simgrid/s4u/Actor.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <vector>

namespace recsim {

class FailureInjector {
 public:
  FailureInjector(const FailureSpec& spec, const Fleet& fleet, std::vector<std::unique_ptr<Server>>& servers,
                  std::vector<std::vector<GpuDevice*>> gpus_of, Dispatcher& dispatcher, ServerStates& states, QueryTracker& tracker,
                  std::uint64_t seed);
  FailureInjector(const FailureInjector&) = delete;
  FailureInjector& operator=(const FailureInjector&) = delete;

  // Creates the two actors on `home` (daemons: they end with the simulation).
  void start(simgrid::s4u::Host* home);
  // Query `slot` cannot be served at `now` (a failure caught it, or it found no server up):
  // re-issued after the timeout within its budget, else lost.
  void caught(std::uint32_t slot, double now);

 private:
  using Cause = ServerStates::Fault;
  struct Event {
    double time;
    std::uint64_t seq;
    std::size_t server;
    Cause cause;
    bool down;
    bool random;  // a random failure or repair: draws the next one
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return a.time > b.time || (a.time == b.time && a.seq > b.seq); }
  };
  struct Retry {
    double due;
    std::uint32_t slot;
  };
  void push(double time, std::size_t server, Cause cause, bool down, bool random);
  void run_events();
  void run_retries();
  void apply(const Event& e);

  const FailureSpec& spec_;
  std::vector<std::unique_ptr<Server>>& servers_;
  std::vector<std::vector<GpuDevice*>> gpus_of_;
  Dispatcher& dispatcher_;
  ServerStates& states_;
  QueryTracker& tracker_;
  std::priority_queue<Event, std::vector<Event>, Later> events_;
  std::uint64_t seq_ = 0;
  std::vector<const RandomFailures*> random_;  // per server: its kind's random failures, or null
  std::vector<Rng> rng_;                       // per server with random failures
  std::deque<Retry> retries_;
  simgrid::s4u::Actor* retry_actor_ = nullptr;
  bool retry_parked_ = false;
};

}  // namespace recsim
