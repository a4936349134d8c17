#include "sim/search/hill_climber.h"

namespace recsim {

// A step that gives exactly the same max_qps changed nothing (every evaluation shares its random
// numbers, so the same routing gives the same answer: a threshold below the smallest query, a batch
// size above the largest): the climb walks through such a plateau instead of stopping on it,
// keeping the plateau's first value, and stops at the first value that is worse, or equal after a
// change.
TunePoint climb_ladder(const std::vector<int>& ladder, const std::function<TuneConfig(int)>& make, const std::string& phase,
                       TuneEvaluations& eval, std::vector<TunePoint>& path) {
  TunePoint best = eval(make(ladder.front()), phase);
  path.push_back(best);
  for (std::size_t i = 1; i < ladder.size(); ++i) {
    const TunePoint next = eval(make(ladder[i]), phase, best.max_qps > 0 ? std::optional<double>(best.max_qps) : std::nullopt);
    path.push_back(next);
    if (next.max_qps == path[path.size() - 2].max_qps && next.max_qps == best.max_qps) continue;  // a plateau
    if (!(next.max_qps > best.max_qps)) break;
    best = next;
  }
  return best;
}

TuneResult hill_climb(const TuneOptions& options, const CapacityOf& capacity_of) {
  return tune_search("climb", options, capacity_of);
}

}  // namespace recsim
