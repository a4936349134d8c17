#pragma once
// One simulation run: builds the SimGrid engine and platform from a validated scenario, runs the
// load generator and the servers in virtual time, and returns the results.
//
// SimGrid's engine is a per-process singleton, so simulate() may run once per process. Callers that
// need many runs (tests, capacity searches, tuning) use simulate_isolated() (isolated_run.h), which
// runs each simulation in a child process.
#include "sim/engine/load_generator.h"
#include "sim/metrics/query_observer.h"
#include "sim/metrics/run_results.h"
#include "sim/scenario/scenario.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace recsim {

struct SimulationOptions {
  // Called from inside the simulation every few thousand arrivals and once at the end.
  std::function<void(const Progress&)> progress;
  // Fill RunResults::latency_cdf_ms (the measured latency distribution, one point per non-empty bin).
  bool latency_cdf = false;
  // Stop as soon as the SLA is missed for certain (capacity searches need only the verdict); such a
  // run reports stopped_early and no latency statistics.
  bool stop_when_sla_missed = false;
  // Which draws of the servers' service-time randomness (each request's own variation, sampled
  // service times): 0, the scenario seed's; any other number, another independent set over the
  // same arrivals and sizes. `recsim validate` runs several to show how far one run's percentiles
  // move by those draws alone.
  std::uint64_t service_draws = 0;
  // More observers of the run's queries (e.g. `recsim run --trace`'s TraceRecorder), owned by the
  // caller; in-process runs only.
  std::vector<QueryObserver*> observers;
  // The reference way: every completion delivered at its time by an actor, rather than caught up
  // when a server is next visited (a balancer that reads loads: least_loaded, power_of_two) and
  // drained at the end (sim/engine/completion_flusher.h). The same results, slower; tests compare.
  bool timely_completions = false;
};

RunResults simulate(const Scenario& scenario, const SimulationOptions& options = {});

}  // namespace recsim
