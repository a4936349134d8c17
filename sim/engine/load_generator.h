#pragma once
// The load generator actor (on the frontend host): it pulls queries from the workload's
// QuerySource, sleeps in virtual time until each arrives, opens it in the QueryTracker and issues
// it to the system under test, which routes, serves and completes it (sim/engine/system_under_test.h).
// Under deeprecsched-online the configuration in force (`live`, read by the servers' policy) and
// the arrival rate come from the online climber, and measurement (the results' statistics) starts
// with the first arrival after both the warm-up and the climb. It stops early when the system
// saturates (more queries in flight than the scenario allows) or, when the run watches its SLA, once
// the SLA is missed for certain; otherwise it waits until the last query completes.
#include "sim/engine/query_tracker.h"
#include "sim/engine/system_under_test.h"
#include "sim/scenario/scenario.h"
#include "sim/scheduling/online_hill_climber.h"
#include "sim/scheduling/tune_config.h"
#include "workloads/query_source.h"

#include <simgrid/s4u/Semaphore.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace recsim {

struct Progress {
  double virtual_seconds;
  std::uint64_t completed;
  std::uint64_t total;
};

class LoadGenerator {
 public:
  // `live`: the configuration the online policy climbs (written here, read by the servers' policy).
  LoadGenerator(const Scenario& scenario, QuerySource& source, SystemUnderTest& sut, QueryTracker& tracker,
                TuneConfig& live, std::function<void(const Progress&)> progress);

  // The actor's body.
  void operator()();

  // Asked every few thousand measured arrivals (virtual time, measured arrivals so far): a reason
  // when the system is overloaded beyond doubt (the run then ends at once, saturated), else empty.
  // Only runs that watch their SLA (capacity searches) set it: a clearly overloaded rate is then as
  // cheap to refuse as one that misses its SLA.
  using OverloadCheck = std::function<std::string(double now, std::uint64_t measured)>;
  void stop_when_overloaded(OverloadCheck check) { overload_check_ = std::move(check); }

  bool saturated() const { return !saturation_reason_.empty(); }
  // Why arrivals stopped before the run's end without saturation (the SLA was missed for certain,
  // see RunMetrics::watch_sla); empty otherwise.
  const std::string& stopped_early() const { return stopped_early_; }
  const std::string& saturation_reason() const { return saturation_reason_; }
  // Virtual time of the last arrival.
  double last_arrival() const { return last_arrival_; }
  // The deeprecsched-online policy's climb; null for the fixed policies.
  const OnlineHillClimber* online() const { return online_.get(); }
  // Arrivals before the climb finished (all of them if it did not).
  std::uint64_t climb_queries() const { return climb_queries_; }

 private:
  // The arrival time of the next query: the source's, except while the online climber sets the rate.
  double arrival_time(const QueryArrival& arrival);
  // Suspends the actor until no query is in the system.
  void wait_until_empty();

  const Scenario& scenario_;
  QuerySource& source_;
  SystemUnderTest& sut_;
  QueryTracker& tracker_;
  TuneConfig& live_;
  std::function<void(const Progress&)> progress_;
  std::unique_ptr<OnlineHillClimber> online_;
  std::uint64_t climb_queries_ = 0;
  double source_last_ = 0.0;   // online: the source's previous arrival time
  double online_clock_ = 0.0;  // online: the previous arrival time
  bool waiting_for_empty_ = false;
  simgrid::s4u::SemaphorePtr empty_;
  OverloadCheck overload_check_;
  std::uint64_t measured_ = 0;  // measured arrivals so far
  std::string saturation_reason_;
  std::string stopped_early_;
  double last_arrival_ = 0.0;
};

}  // namespace recsim
