#pragma once
// DeepRecSched's search, as published (docs/references.md, DeepRecSys): hill climbing on the
// per-core batch size b from the smallest value of a ladder upward while the max load under the SLA
// improves, stopping at the first value that does not improve it and keeping the previous one; then
// the GPU offload threshold t the same way (only when the platform has GPUs). One departure: steps
// whose max load is exactly the previous one (nothing changed, a plateau) do not stop the climb.
// A step is screened: its capacity search starts at the best max load so far and ends at once if
// the SLA is missed there (the step is no improvement; DeepRecSched would stop there too, and
// the search of its exact, lower max load is skipped). Optionally the whole
// (b, t) grid, to see how far the climb landed from the grid's optimum.
//
// The climber knows nothing of simulation: it asks `capacity_of(b, t)` for the max QPS of a
// configuration (sim/search/capacity_search.h provides it for real scenarios).
#include "sim/scheduling/tune_config.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct TunePoint {
  TuneConfig config;
  double max_qps = 0;   // 0 when screened
  int evaluations = 0;  // simulations the capacity search took
  std::string phase;    // "batch", "threshold", "baseline" or "grid"
  // Screened out: its SLA was missed at `below_qps`, the max load of the best configuration so far,
  // so it cannot beat that one and its own max load was not searched for.
  bool screened = false;
  double below_qps = 0;
};

struct TuneResult {
  TunePoint best;                // the better of the climb's result and the baseline
  TunePoint climb;               // where the climb ended (it can stop below the baseline)
  TunePoint baseline;            // static, no splitting (batch >= the largest query)
  std::vector<TunePoint> path;   // the climb, in order
  std::vector<TunePoint> grid;   // with a grid: every configuration
  std::optional<TunePoint> grid_best;
  int evaluations = 0;           // simulations in all
};

struct TuneOptions {
  std::vector<int> batch_ladder;      // increasing
  std::vector<int> threshold_ladder;  // increasing; empty: no GPU phase
  int baseline_batch = 1024;          // the no-splitting baseline's batch size
  bool grid = false;
};

// The max load of a configuration. With a floor, the answer may be a screened point instead (its
// SLA missed at a rate <= floor): the configuration cannot beat the best so far, whose max load the
// floor is. The climb passes a floor for every step after a coordinate's first; the baseline, the
// first steps and the grid are searched in full.
using CapacityOf = std::function<TunePoint(const TuneConfig&, std::optional<double> floor)>;

TuneResult hill_climb(const TuneOptions& options, const CapacityOf& capacity_of);

}  // namespace recsim
