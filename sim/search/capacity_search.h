#pragma once
// The highest Poisson rate whose SLA percentile meets the target ("max load under SLA").
//
// Bracketing: from the scenario's rate, double while the SLA is met (or halve while it is not)
// until a met rate and a missed rate are known (or step by a smaller factor that grows each round,
// when the starting rate is a good guess: bracket_factor); then bisection until (missed - met) / met is at
// most the precision. The search is sequential: each rate depends only on the verdicts before it,
// so the answer, the points and the evaluation count do not depend on `jobs`. With `jobs` > 1 each
// round also evaluates, ahead of time, the rates that would follow each possible verdict (breadth
// first over the decision tree, `jobs` rates at once); those off the path are discarded and counted
// in `speculative`. Every evaluation is a full simulation of the scenario at that rate with the same seed,
// so all rates share their random numbers (arrival gaps are unit-rate gaps scaled by 1/rate) and the
// observed percentile rises with the rate. A saturated run counts as missed.
//
// Where no rate down to the lowest searchable one meets the SLA, the search does not end there: it
// steps up from the highest rate tried (x2 up to just below the saturation bound; squaring where no
// bound is known) and, where a rate above the misses meets the SLA, brackets and bisects above them
// (CapacityResult::missed_below_qps says so). Only when every rate tried, low and high, missed is
// there no capacity (or when screened, or when the evaluation budget runs out).
#include "sim/metrics/run_results.h"
#include "sim/scenario/scenario.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {


struct CapacityOptions {
  double precision = 0.01;  // relative width of the final bracket
  int jobs = 1;             // rates evaluated at once
  int max_evaluations = 200;
  // Bracketing multiplies (divides) the rate by this factor; each round that does not bracket the
  // answer squares it. 2 is plain doubling; a searcher with a good first guess uses less (1.25).
  double bracket_factor = 2.0;
  // A screen (the tune's climb): the search stops as soon as a rate at or below `floor` misses the
  // SLA, so the configuration cannot beat the one whose max load `floor` is (CapacityResult::screened).
  std::optional<double> floor;
  // The commands' --allow-large: the lowest rate tried is bounded by what no machine can do only,
  // not by the work limits (lowest_searchable_qps).
  bool allow_large = false;
};

struct CapacityPoint {
  double qps = 0;
  std::optional<double> observed_ms;  // null when nothing was measured
  std::optional<std::pair<double, double>> ci95_ms;
  bool met = false;
  bool saturated = false;
  bool stopped_early = false;  // the run stopped once the SLA was missed for certain: no percentile
  double wall_seconds = 0;
  std::optional<RunResults::OfferedBounds> offered_bounds;  // RunResults::offered_bounds
};

struct CapacityResult {
  double max_qps = 0;        // 0 when no rate tried met the SLA
  std::optional<double> missed_qps;  // the bracket's upper end: the lowest missed or certainly saturated rate
  // The lowest rate saturated for certain: the analytic stability limit or a run's offered load
  // alone (no simulation there), whichever is lower.
  std::optional<double> saturation_bound_qps;
  // The CPUs' analytic stability limit c / E[S] (sim/search/stability_limit.h): max_qps stays below it.
  std::optional<double> stability_limit_qps;
  bool found = false;        // a met and a missed rate bracket max_qps to the precision
  bool screened = false;     // stopped by CapacityOptions::floor: max_qps < floor, not searched further
  std::string note;          // why not found, in words
  // The highest rate below max_qps that missed the SLA, where the search saw one: the verdicts are
  // not monotone in the load. It happens when nothing down to the lowest searchable rate met the
  // SLA and the search, looking above the misses, found rates that do (find_capacity).
  std::optional<double> missed_below_qps;
  std::vector<CapacityPoint> points;  // the search's path, in order (the same whatever the jobs)
  int speculative = 0;       // rates evaluated ahead of time and not on the path (0 with one job)
};

// Runs the scenarios (the same scenario at several rates) and returns their results in order.
using RateEvaluator = std::function<std::vector<RunResults>(const std::vector<Scenario>&)>;

// Evaluates each scenario in its own process, up to `jobs` at once. Each run stops as soon as its
// SLA is missed for certain (RunMetrics::watch_sla): the verdict is the full run's, only sooner.
RateEvaluator isolated_evaluator(int jobs);

// The warning a summary prints beside an answer with CapacityResult::missed_below_qps.
std::string missed_below_text(double missed_below_qps);

// Requires Poisson arrivals (the caller validates). Starts from scenario.arrival.qps.
CapacityResult find_capacity(const Scenario& scenario, const CapacityOptions& options, const RateEvaluator& evaluate);

}  // namespace recsim
