#include "sim/search/hill_climber.h"

#include <map>
#include <optional>

namespace recsim {
namespace {

// Memoised capacity: the climb, the baseline and the grid never simulate one configuration twice.
class Evaluations {
 public:
  explicit Evaluations(const CapacityOf& f) : f_(f) {}
  TunePoint operator()(const TuneConfig& c, const std::string& phase, std::optional<double> floor = {}) {
    const auto key = std::make_pair(c.batch_size, c.gpu_threshold.value_or(-1));
    auto it = cache_.find(key);
    // A screened answer answers only a screen at a floor at least as high.
    const bool usable = it != cache_.end() && (!it->second.screened || (floor && *floor >= it->second.below_qps));
    if (!usable) {
      TunePoint p = f_(c, floor);
      total_ += p.evaluations;
      it = cache_.insert_or_assign(key, p).first;
    }
    TunePoint p = it->second;
    p.phase = phase;
    return p;
  }
  int total() const { return total_; }

 private:
  const CapacityOf& f_;
  std::map<std::pair<int, int>, TunePoint> cache_;
  int total_ = 0;
};

// Climbs one coordinate: values in order from the first, while max_qps strictly improves. A step
// that gives exactly the same max_qps changed nothing (every evaluation shares its random numbers,
// so the same routing gives the same answer: a threshold below the smallest query, a batch size
// above the largest): the climb walks through such a plateau instead of stopping on it, keeping
// the plateau's first value, and stops at the first value that is worse, or equal after a change.
template <class Make>
TunePoint climb(const std::vector<int>& ladder, Make make, const std::string& phase, Evaluations& eval,
                std::vector<TunePoint>& path) {
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

}  // namespace

TuneResult hill_climb(const TuneOptions& o, const CapacityOf& capacity_of) {
  Evaluations eval(capacity_of);
  TuneResult r;
  r.baseline = eval({o.baseline_batch, std::nullopt}, "baseline");
  r.best = climb(o.batch_ladder, [](int b) { return TuneConfig{b, std::nullopt}; }, "batch", eval, r.path);
  if (!o.threshold_ladder.empty()) {
    const int b = r.best.config.batch_size;
    const TunePoint with_gpu =
        climb(o.threshold_ladder, [b](int t) { return TuneConfig{b, t}; }, "threshold", eval, r.path);
    if (with_gpu.max_qps > r.best.max_qps) r.best = with_gpu;
  }
  // The climb can stop at a local optimum below the no-splitting baseline, which was measured
  // anyway: a scheduler would keep the baseline then.
  r.climb = r.best;
  if (r.baseline.max_qps > r.best.max_qps) r.best = r.baseline;
  if (o.grid) {
    std::vector<std::optional<int>> thresholds{std::nullopt};
    for (int t : o.threshold_ladder) thresholds.push_back(t);
    for (int b : o.batch_ladder)
      for (const auto& t : thresholds) {
        const TunePoint p = eval({b, t}, "grid");
        r.grid.push_back(p);
        if (!r.grid_best || p.max_qps > r.grid_best->max_qps) r.grid_best = p;
      }
  }
  r.evaluations = eval.total();
  return r;
}

}  // namespace recsim
