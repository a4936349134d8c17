#pragma once
// `recsim tune`'s default search over one ladder (batch sizes, or offload thresholds): a
// golden-section search on the ladder's positions (the max load is close to unimodal in the batch
// size on a fitted profile), then a check of the neighbours of the best position, moving while one
// is better (a local optimum of the ladder, whatever noise or a plateau did to the bracketing).
//
// Every step after the first is screened (sim/search/capacity_search.h, CapacityOptions::floor) at
// the best max load of this ladder so far: a step that misses there cannot be the ladder's best and
// its own max load is not searched for; a screened step counts as worse than every step searched in
// full. At the end, the two positions on each side of the best are checked, moving while one is
// better: the max load is flat near its optimum (within 1-2% over several batch sizes), where the
// bracketing alone can settle on a neighbour.
#include "sim/search/tune_search.h"

namespace recsim {

TunePoint golden_section_ladder(const std::vector<int>& ladder, const std::function<TuneConfig(int)>& make,
                                const std::string& phase, TuneEvaluations& eval, std::vector<TunePoint>& path);

}  // namespace recsim
