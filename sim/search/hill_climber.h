#pragma once
// DeepRecSched's search, as published (docs/references.md, DeepRecSys): hill climbing on the
// per-core batch size b from the smallest value of a ladder upward while the max load under the SLA
// improves, stopping at the first value that does not improve it and keeping the previous one; then
// the GPU offload threshold t the same way (only when the platform has GPUs). One departure: steps
// whose max load is exactly the previous one (nothing changed, a plateau) do not stop the climb.
// A step is screened: its capacity search starts at the best max load so far and ends at once if
// the SLA is missed there (the step is no improvement; DeepRecSched would stop there too, and
// the search of its exact, lower max load is skipped).
//
// `recsim tune --search climb` (sim/search/tune_search.h runs it, with the baseline and the grid).
#include "sim/search/tune_search.h"

namespace recsim {

// Climbs one coordinate: values in order from the first, while max_qps strictly improves.
TunePoint climb_ladder(const std::vector<int>& ladder, const std::function<TuneConfig(int)>& make, const std::string& phase,
                       TuneEvaluations& eval, std::vector<TunePoint>& path);

// The climb with the baseline (and the grid when asked): tune_search("climb", ...).
TuneResult hill_climb(const TuneOptions& options, const CapacityOf& capacity_of);

}  // namespace recsim
