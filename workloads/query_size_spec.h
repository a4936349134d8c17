#pragma once
// How many items a model's queries ask to rank (a model's query_size in docs/scenario-format.md), as
// read: the distribution's name in the registry (sim/scenario/query_size_registry.h) and what it
// needs to draw, or sizes that come with an arrival trace.
#include "workloads/query_size_distribution.h"

#include <functional>
#include <memory>
#include <string>

namespace recsim {

struct QuerySizeSpec {
  std::string distribution = "trace";  // a registered distribution's name, or "trace"
  // A fresh sampler of the distribution (its own state); empty: sizes come from the arrival trace.
  std::function<std::unique_ptr<QuerySizeDistribution>()> make;
  int max = 0;              // the largest size it can draw (a trace: the trace's largest)
  std::string file;         // the file it was read from, resolved; empty if none
  double trace_mean = 0.0;  // trace: the mean size in the arrival trace

  bool from_trace() const { return !make; }
  // The largest query the workload can draw.
  int largest() const { return max; }
};

}  // namespace recsim
