#include "sim/search/golden_section_search.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace recsim {

TunePoint golden_section_ladder(const std::vector<int>& ladder, const std::function<TuneConfig(int)>& make,
                                const std::string& phase, TuneEvaluations& eval, std::vector<TunePoint>& path) {
  std::map<std::size_t, TunePoint> seen;  // by position in the ladder
  const auto at = [&](std::size_t i) -> const TunePoint& {
    auto it = seen.find(i);
    if (it != seen.end()) return it->second;
    // Screened at the best of this ladder so far: a point off the ladder (the baseline, another
    // coordinate's) would screen out every step and leave the bracketing nothing to compare.
    std::optional<double> floor;
    for (const auto& [k, q] : seen)
      if (!q.screened && q.max_qps > 0 && (!floor || q.max_qps > *floor)) floor = q.max_qps;
    const TunePoint p = eval(make(ladder[i]), phase, floor);
    path.push_back(p);
    return seen.emplace(i, p).first->second;
  };
  // A screened step is worse than every step searched in full.
  const auto value = [&](std::size_t i) { return at(i).screened ? -1.0 : at(i).max_qps; };
  // The position of the best step seen, the earliest of equals.
  const auto best_seen = [&] {
    std::size_t b = seen.begin()->first;
    for (const auto& [i, p] : seen)
      if (value(i) > value(b)) b = i;
    return b;
  };

  constexpr double kInv = 0.6180339887498949;  // 1 / the golden ratio
  std::size_t lo = 0, hi = ladder.size() - 1;
  while (hi - lo > 2) {
    const double span = static_cast<double>(hi - lo);
    std::size_t c = lo + static_cast<std::size_t>(std::lround(span * (1 - kInv)));
    std::size_t d = lo + static_cast<std::size_t>(std::lround(span * kInv));
    c = std::clamp<std::size_t>(c, lo + 1, hi - 2);
    d = std::clamp<std::size_t>(d, c + 1, hi - 1);
    const double vc = value(c), vd = value(d);
    if (vc == vd && vc >= 0) {
      // Equal loads (the same routing, or both at the precision's step below a stability limit
      // that moves little between them): for a unimodal load the maximum lies between them.
      lo = c;
      hi = d;
      continue;
    }
    bool left = vc > vd;  // the maximum lies in [lo, d]
    if (vc == vd) {
      // Both screened, worse than the best so far: towards the best step of this ladder, if any,
      // else towards the smaller values.
      const std::size_t b = best_seen();
      left = value(b) < 0 || b <= c;
    }
    if (left)
      hi = d;
    else
      lo = c;
  }
  for (std::size_t i = lo; i <= hi; ++i) value(i);
  std::size_t best = best_seen();
  // The neighbours of the best position, two on each side, moving while one is better.
  for (;;) {
    std::size_t next = best;
    for (std::size_t i = best >= 2 ? best - 2 : 0; i <= std::min(ladder.size() - 1, best + 2); ++i)
      if (value(i) > value(next)) next = i;
    if (next == best) break;
    best = next;
  }
  return at(best);
}

}  // namespace recsim
