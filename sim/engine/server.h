#pragma once
// One simulated server: a shared FIFO queue of requests in front of its CPU cores, one worker actor
// per core. A worker serves one request at a time for its service time (sleep in virtual time);
// it takes the next request straight from the queue and parks on its own semaphore only when the
// queue is empty, so control flow inside the host costs no mailbox traffic. Each request is of one
// model, served with that model's service-time model on this server's kind.
#include "sim/balancing/server_load_index.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/service/service_time_model.h"
#include "workloads/random_stream.h"

#include <simgrid/s4u/Actor.hpp>

#include <cstdint>
#include <deque>
#include <vector>

namespace recsim {

class Server {
 public:
  // `services`: per model, its service-time model on this server (null for models it does not host).
  Server(ServerHost host, std::vector<const ServiceTimeModel*> services, Rng service_rng, QueryTracker& tracker,
         const RunMetrics& metrics);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the worker actors (daemons: they end with the simulation).
  void start();
  // Keeps entry `entry` of `loads` equal to this server's load per core from now on (one index per
  // model the server hosts, each a balancer's view).
  void report_load_to(ServerLoadIndex& loads, std::size_t entry) {
    loads_.push_back({&loads, entry});
    loads.set(entry, load_per_core());
  }
  // Enqueues one request of `items` items of query `slot` of `model`; wakes an idle core if there is one.
  void submit(std::uint32_t slot, int items, int model = 0);

  const ServerHost& host() const { return host_; }
  // Requests queued or in service, per core: the load balancer's measure.
  double load_per_core() const { return static_cast<double>(outstanding_) / host_.cpu_cores; }
  std::uint64_t requests_served() const { return served_; }
  // Busy time of each core inside the measurement window, counting requests still in service at `end`.
  std::vector<double> core_busy_seconds(double end) const;
  // Service time of the requests of measured queries (the offered work).
  double offered_work_seconds() const { return offered_work_; }

 private:
  struct Request {
    std::uint32_t query;
    int items;
    int model;
    double service_seconds;  // drawn when queued; scaled by contention when it starts
  };
  struct Core {
    simgrid::s4u::Actor* actor = nullptr;  // parked (suspended) while the queue is empty
    double busy_seconds = 0.0;  // inside the measurement window
    double current_start = -1.0; // start of the request in service, -1 when idle
  };
  void worker(int core);
  double busy_since_window(double start, double end) const;

  ServerHost host_;
  std::vector<const ServiceTimeModel*> services_;
  Rng rng_;
  QueryTracker& tracker_;
  const RunMetrics& metrics_;
  std::deque<Request> queue_;
  std::deque<int> idle_;
  std::vector<Core> cores_;
  std::uint64_t outstanding_ = 0;
  struct LoadEntry {
    ServerLoadIndex* index;
    std::size_t entry;
  };
  std::vector<LoadEntry> loads_;  // the balancers' views of this server's load, when they read it
  void load_changed() {
    for (const auto& l : loads_) l.index->set(l.entry, load_per_core());
  }
  int busy_cores_ = 0;
  std::uint64_t served_ = 0;
  double offered_work_ = 0.0;
};

}  // namespace recsim
