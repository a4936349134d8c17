#pragma once
// One simulated server: a shared FIFO queue of requests in front of its CPU cores, one worker actor
// per core. A worker serves one request at a time for its service time (sleep in virtual time);
// it takes the next request straight from the queue and parks on its own semaphore only when the
// queue is empty, so control flow inside the host costs no mailbox traffic.
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
  Server(ServerHost host, const ServiceTimeModel& service, Rng service_rng, QueryTracker& tracker,
         const RunMetrics& metrics);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Creates the worker actors (daemons: they end with the simulation).
  void start();
  // Keeps entry `entry` of `loads` equal to this server's load per core from now on.
  void report_load_to(ServerLoadIndex& loads, std::size_t entry) {
    loads_ = &loads;
    load_entry_ = entry;
    loads.set(entry, load_per_core());
  }
  // Enqueues one request of `items` items of query `slot`; wakes an idle core if there is one.
  void submit(std::uint32_t slot, int items);

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
  const ServiceTimeModel& service_;
  Rng rng_;
  QueryTracker& tracker_;
  const RunMetrics& metrics_;
  std::deque<Request> queue_;
  std::deque<int> idle_;
  std::vector<Core> cores_;
  std::uint64_t outstanding_ = 0;
  ServerLoadIndex* loads_ = nullptr;  // the balancer's view of this server's load, when it has one
  std::size_t load_entry_ = 0;
  void load_changed() {
    if (loads_) loads_->set(load_entry_, load_per_core());
  }
  int busy_cores_ = 0;
  std::uint64_t served_ = 0;
  double offered_work_ = 0.0;
};

}  // namespace recsim
