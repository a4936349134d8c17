#pragma once
// How queries arrive (workload.arrival in docs/scenario-format.md): a Poisson process at a rate, or
// a recorded trace replayed at a mean rate.
#include <string>

namespace recsim {

struct ArrivalSpec {
  enum class Process { poisson, trace } process = Process::poisson;
  // poisson: the rate. trace: the mean rate the trace is replayed at, its time axis scaled to it:
  // the recorded rate unless the scenario gives one (so that capacity and tune can vary it).
  double qps = 0.0;
  std::string trace_file;  // trace: resolved path
  double trace_span_s = 0.0;  // trace: the last arrival's time, as recorded
  double trace_recorded_qps = 0.0;  // trace: its queries / its last arrival's time (0: all at time 0)
  bool trace_rate_given = false;    // trace: `qps` was in the scenario

  // What a trace's arrival times are multiplied by (1 for Poisson arrivals and unscaled traces).
  double time_scale() const {
    return process == Process::trace && qps > 0.0 && trace_recorded_qps > 0.0 ? trace_recorded_qps / qps : 1.0;
  }
};

}  // namespace recsim
