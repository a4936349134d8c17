#pragma once
// `recsim tune`'s search for the configuration (per-core batch size b, GPU offload threshold t)
// with the most load under the SLA, by name (docs/tuning.md):
// - "golden" (the default, sim/search/golden_section_search.h): a golden-section search over each
//   ladder with a local check of the neighbours at the end, coordinate by coordinate until the
//   configuration settles.
// - "climb" (sim/search/hill_climber.h): DeepRecSched's hill climbing as published.
// Both measure the no-splitting baseline, keep it when it beats the search's result, and optionally
// evaluate the whole (b, t) grid. Around them: the best configuration's uncertainty and the set of
// configurations that cannot be told from it (within noise).
//
// The searches know nothing of simulation: they ask `capacity_of(b, t)` for the max QPS of a
// configuration (sim/search/capacity_search.h provides it for real scenarios).
#include "sim/scheduling/tune_config.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct TunePoint {
  TuneConfig config;
  double max_qps = 0;   // 0 when screened
  int evaluations = 0;  // simulations the capacity search took
  std::string phase;    // "batch", "threshold", "baseline" or "grid"
  // Screened out: its SLA was missed at `below_qps`, at or below the max load of the best
  // configuration so far, so it cannot beat that one and its own max load was not searched for.
  bool screened = false;
  double below_qps = 0;
  // The relative standard error of max_qps as a measure of the configuration (the profile's fitted
  // uncertainty at its request sizes and the capacity search's precision; 0: not known).
  double rel_uncertainty = 0;
};

struct TuneResult {
  std::string search;            // "golden" or "climb"
  TunePoint best;                // the better of the search's result and the baseline
  TunePoint climb;               // where the search ended (it can end below the baseline)
  TunePoint baseline;            // static, no splitting (batch >= the largest query)
  std::vector<TunePoint> path;   // the search, in order
  std::vector<TunePoint> grid;   // with a grid: every configuration
  std::optional<TunePoint> grid_best;
  // Every configuration searched in full whose max load is within noise of the best's (a
  // difference below 1.96 standard errors of the two), best first; the best included.
  std::vector<TunePoint> indistinguishable;
  int evaluations = 0;           // simulations in all
  int search_evaluations = 0;    // simulations of the baseline and the search (the grid's left out)
};

struct TuneOptions {
  std::vector<int> batch_ladder;      // increasing
  std::vector<int> threshold_ladder;  // increasing; empty: no GPU phase
  int baseline_batch = 1024;          // the no-splitting baseline's batch size
  bool grid = false;
};

// The max load of a configuration. With a floor, the answer may be a screened point instead (its
// SLA missed at a rate <= floor): the configuration cannot beat the best so far. The baseline, a
// search's first step and the grid are searched in full.
using CapacityOf = std::function<TunePoint(const TuneConfig&, std::optional<double> floor)>;

// Memoised capacity: the search, the baseline and the grid never simulate one configuration twice.
class TuneEvaluations {
 public:
  explicit TuneEvaluations(const CapacityOf& f) : f_(f) {}
  TunePoint operator()(const TuneConfig& c, const std::string& phase, std::optional<double> floor = {});
  int total() const { return total_; }
  // Every configuration searched in full so far, and the best of them (none yet: empty).
  std::vector<TunePoint> searched() const;
  std::optional<TunePoint> best() const;

 private:
  const CapacityOf& f_;
  std::map<std::pair<int, int>, TunePoint> cache_;
  int total_ = 0;
};

// One coordinate's search: the best point over `ladder` (values made into configurations by
// `make`), appending each evaluation to `path`.
using LadderSearch = std::function<TunePoint(const std::vector<int>& ladder, const std::function<TuneConfig(int)>& make,
                                             const std::string& phase, TuneEvaluations& eval, std::vector<TunePoint>& path)>;

// The search names, for the --search flag.
const std::vector<std::string>& tune_search_names();

// Runs the named search (throws std::invalid_argument on an unknown name).
TuneResult tune_search(const std::string& search, const TuneOptions& options, const CapacityOf& capacity_of);

// Whether two configurations' max loads differ by less than 1.96 standard errors of the difference.
bool within_noise(const TunePoint& a, const TunePoint& b);

}  // namespace recsim
