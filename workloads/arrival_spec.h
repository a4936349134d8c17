#pragma once
// How queries arrive (workload.arrival in docs/scenario-format.md), as read: a synthetic process of
// the registry (sim/scenario/arrival_registry.h) at a mean rate, or a recorded trace replayed at a
// mean rate.
#include "workloads/arrival_process.h"
#include "workloads/random_stream.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace recsim {

struct ArrivalSpec {
  std::string process = "poisson";  // a registered process's name ("trace": a recorded trace)
  // The mean rate. A trace: the rate it is replayed at, its time axis scaled to it (the recorded
  // rate unless the scenario gives one), so that capacity and tune can vary it.
  double qps = 0.0;
  // A synthetic process at mean rate `qps`, drawing from the run's arrival streams
  // (make_stream(seed, StreamId::arrivals, i)); empty: a trace.
  std::function<std::unique_ptr<ArrivalProcess>(double qps, std::uint64_t seed)> make;
  std::string file;  // a file the process reads besides a trace (a rate table), resolved; empty if none
  std::string trace_file;  // trace: resolved path
  double trace_span_s = 0.0;  // trace: the last arrival's time, as recorded
  std::uint64_t trace_rows = 0;  // trace: its queries
  double trace_recorded_qps = 0.0;  // trace: its queries / its last arrival's time (0: all at time 0)
  bool trace_rate_given = false;    // trace: `qps` was in the scenario
  // The process's own events per second of virtual time (a burst schedule's state changes), for
  // the resource estimate; the key that sets them.
  double events_per_s = 0.0;
  std::string events_key;
  // The highest rate over the mean rate (1 for a constant rate; a trace's is not known: 1). What a
  // plan sizes a fleet for when it plans for the peak (docs/planning.md).
  double peak_to_mean = 1.0;

  bool from_trace() const { return !make; }
  // What a trace's arrival times are multiplied by (1 for synthetic arrivals and unscaled traces).
  double time_scale() const { return from_trace() && qps > 0.0 && trace_recorded_qps > 0.0 ? trace_recorded_qps / qps : 1.0; }
};

}  // namespace recsim
