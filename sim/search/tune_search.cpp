#include "sim/search/tune_search.h"

#include "sim/search/golden_section_search.h"
#include "sim/search/hill_climber.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {

TunePoint TuneEvaluations::operator()(const TuneConfig& c, const std::string& phase, std::optional<double> floor) {
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

std::vector<TunePoint> TuneEvaluations::searched() const {
  std::vector<TunePoint> out;
  for (const auto& [key, p] : cache_)
    if (!p.screened) out.push_back(p);
  return out;
}

std::optional<TunePoint> TuneEvaluations::best() const {
  std::optional<TunePoint> b;
  for (const auto& [key, p] : cache_)
    if (!p.screened && (!b || p.max_qps > b->max_qps)) b = p;
  return b;
}

const std::vector<std::string>& tune_search_names() {
  static const std::vector<std::string> names = {"golden", "climb"};
  return names;
}

bool within_noise(const TunePoint& a, const TunePoint& b) {
  const double se = std::hypot(a.rel_uncertainty * a.max_qps, b.rel_uncertainty * b.max_qps);
  return std::fabs(a.max_qps - b.max_qps) <= 1.96 * se;
}

TuneResult tune_search(const std::string& search, const TuneOptions& o, const CapacityOf& capacity_of) {
  const LadderSearch ladder_search = search == "golden"  ? LadderSearch(golden_section_ladder)
                                     : search == "climb" ? LadderSearch(climb_ladder)
                                                         : throw std::invalid_argument("unknown tune search \"" + search + "\"");
  TuneEvaluations eval(capacity_of);
  TuneResult r;
  r.search = search;
  r.baseline = eval({o.baseline_batch, std::nullopt}, "baseline");
  const auto batches_at = [](std::optional<int> t) { return [t](int b) { return TuneConfig{b, t}; }; };
  const auto thresholds_at = [](int b) { return [b](int t) { return TuneConfig{b, t}; }; };
  r.best = ladder_search(o.batch_ladder, batches_at(std::nullopt), "batch", eval, r.path);
  if (!o.threshold_ladder.empty()) {
    // The climb, as published: the threshold once, at the batch size found. The golden search goes
    // on coordinate by coordinate (the batch size again at the threshold found, and so on) while
    // the configuration improves.
    // The golden search starts the thresholds at the best batch size measured, the baseline's
    // included (a search whose every batch size was screened below the baseline found none).
    const bool climb = search == "climb";
    const int rounds = climb ? 1 : 3;
    if (!climb && eval.best() && eval.best()->max_qps > r.best.max_qps) r.best = *eval.best();
    for (int round = 0; round < rounds; ++round) {
      const TunePoint t = ladder_search(o.threshold_ladder, thresholds_at(r.best.config.batch_size), "threshold", eval, r.path);
      if (!(t.max_qps > r.best.max_qps)) break;
      r.best = t;
      if (round + 1 == rounds) break;
      const TunePoint b = ladder_search(o.batch_ladder, batches_at(r.best.config.gpu_threshold), "batch", eval, r.path);
      if (!(b.max_qps > r.best.max_qps)) break;
      r.best = b;
    }
  }
  // The search can end below the no-splitting baseline, which was measured anyway: a scheduler
  // would keep the baseline then.
  r.climb = r.best;
  if (r.baseline.max_qps > r.best.max_qps) r.best = r.baseline;
  r.search_evaluations = eval.total();
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
  for (const auto& p : eval.searched())
    if (within_noise(r.best, p)) r.indistinguishable.push_back(p);
  std::stable_sort(r.indistinguishable.begin(), r.indistinguishable.end(),
                   [](const TunePoint& a, const TunePoint& b) { return a.max_qps > b.max_qps; });
  r.evaluations = eval.total();
  return r;
}

}  // namespace recsim
