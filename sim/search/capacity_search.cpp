#include "sim/search/capacity_search.h"

#include "sim/engine/isolated_run.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace recsim {
namespace {

// Rates below this fraction of the starting rate are not tried: the SLA is then unreachable at any
// load (the target is below the latency of a query alone).
constexpr double kLowestFraction = kLowestRateFraction;
// Rates above this multiple of the starting rate are not tried either.
constexpr double kHighestMultiple = 1e9;

// The search is one sequential algorithm: each next rate depends only on the verdicts of the rates
// before it (its path), so its answer, points and evaluation count are the same whatever the number
// of jobs. Parallel jobs only look ahead: each round evaluates the next rate and, breadth first,
// the rates that would follow each possible verdict (the decision tree), up to `jobs` rates at
// once; the path then follows the verdicts through what was evaluated, and rates off the path are
// discarded (counted in `speculative`).
struct PathState {
  std::vector<std::pair<double, bool>> path;  // (rate, met) in evaluation order
  std::optional<double> met, missed;          // the bracket: highest met rate below the lowest missed
  double factor = 2.0;                        // the bracketing step; squared after each bracketing step
};

struct NextStep {
  std::optional<double> rate;  // none: the search is over
  std::string note;            // why it is over without an answer; empty when found
};

class Search {
 public:
  Search(const Scenario& s, const CapacityOptions& o, const RateEvaluator& e) : scenario_(s), options_(o), evaluate_(e) {}

  CapacityResult run() {
    const std::size_t jobs = static_cast<std::size_t>(std::max(1, options_.jobs));
    PathState state;
    state.factor = std::max(1.0 + 1e-6, options_.bracket_factor);
    for (;;) {
      const NextStep first = next(state);
      if (!first.rate) return finish(state, first.note);
      // Breadth first over the decision tree from here: at most `jobs` rates.
      std::vector<double> rates;
      std::vector<PathState> frontier = {state};
      for (std::size_t k = 0; k < frontier.size() && rates.size() < jobs; ++k) {
        const NextStep step = next(frontier[k]);
        if (!step.rate) continue;
        if (std::find(rates.begin(), rates.end(), *step.rate) == rates.end()) rates.push_back(*step.rate);
        frontier.push_back(after(frontier[k], *step.rate, true));
        frontier.push_back(after(frontier[k], *step.rate, false));
      }
      std::vector<CapacityPoint> points;
      try {
        points = evaluate(rates);
      } catch (const std::exception&) {
        // A rate evaluated ahead of time may fail where the search would never go: only a failure
        // of the rate on the path counts (evaluated alone, it throws again if it is that one).
        if (rates.size() == 1) throw;
        rates.resize(1);
        points = evaluate(rates);
      }
      // Follow the verdicts along what was evaluated.
      std::size_t used = 0;
      for (;;) {
        const NextStep step = next(state);
        if (!step.rate) break;
        const auto at = std::find(rates.begin(), rates.end(), *step.rate);
        if (at == rates.end()) break;
        const CapacityPoint& p = points[static_cast<std::size_t>(at - rates.begin())];
        result_.points.push_back(p);
        state = after(state, p.qps, p.met);
        ++used;
      }
      result_.speculative += static_cast<int>(rates.size() - used);
    }
  }

 private:
  // The rate the sequential search evaluates next from `s`, or why it stops.
  NextStep next(const PathState& s) const {
    const double start = scenario_.arrival.qps;
    if (s.path.empty()) return {start, ""};
    const bool bracketed = s.met && s.missed;
    const bool precise = bracketed && (*s.missed - *s.met) / *s.met <= options_.precision;
    if (precise) return {std::nullopt, ""};
    if (static_cast<int>(s.path.size()) >= options_.max_evaluations)
      return {std::nullopt, bracketed ? "evaluation budget spent before the precision was reached"
                                      : "evaluation budget spent before the SLA was bracketed"};
    if (bracketed) return {*s.met + (*s.missed - *s.met) / 2, ""};
    if (!s.met) {
      const double rate = *s.missed / s.factor;
      if (rate < start * kLowestFraction)
        return {std::nullopt, "the SLA is missed even at " + std::to_string(*s.missed) +
                                  " qps: the target is below the latency of a lone query"};
      return {rate, ""};
    }
    const double rate = *s.met * s.factor;
    if (rate > start * kHighestMultiple) return {std::nullopt, "the SLA is met at every rate tried"};
    return {rate, ""};
  }

  // The state after evaluating `rate` with verdict `met`.
  static PathState after(PathState s, double rate, bool met) {
    const bool was_bracketing = !(s.met && s.missed);
    s.path.emplace_back(rate, met);
    // The bracket: the highest met rate below the lowest missed one. (With common random numbers
    // the observed percentile rises with the rate, so a met rate above a missed one is noise at most.)
    s.missed.reset();
    for (const auto& [q, m] : s.path)
      if (!m && (!s.missed || q < *s.missed)) s.missed = q;
    s.met.reset();
    for (const auto& [q, m] : s.path)
      if (m && (!s.missed || q < *s.missed) && (!s.met || q > *s.met)) s.met = q;
    if (was_bracketing && s.path.size() > 1) s.factor *= s.factor;
    return s;
  }

  std::vector<CapacityPoint> evaluate(const std::vector<double>& rates) {
    std::vector<Scenario> batch;
    for (double r : rates) {
      Scenario s = scenario_;
      s.arrival.qps = r;
      batch.push_back(std::move(s));
    }
    const std::vector<RunResults> results = evaluate_(batch);
    std::vector<CapacityPoint> points;
    for (std::size_t i = 0; i < rates.size(); ++i) {
      const RunResults& r = results[i];
      CapacityPoint p;
      p.qps = rates[i];
      p.observed_ms = r.sla_observed_ms;
      p.ci95_ms = r.sla_ci95_ms;
      p.met = r.sla_met;
      p.saturated = r.saturated;
      p.stopped_early = !r.stopped_early.empty();
      p.wall_seconds = r.wall_seconds;
      points.push_back(p);
    }
    return points;
  }

  CapacityResult finish(const PathState& s, const std::string& note) {
    result_.found = s.met && s.missed && note.empty();
    result_.max_qps = s.met.value_or(0.0);
    result_.missed_qps = s.missed;
    result_.note = note;
    return std::move(result_);
  }

  const Scenario& scenario_;
  const CapacityOptions& options_;
  const RateEvaluator& evaluate_;
  CapacityResult result_;
};

}  // namespace

RateEvaluator isolated_evaluator(int jobs) {
  return [jobs](const std::vector<Scenario>& scenarios) {
    SimulationOptions options;
    options.stop_when_sla_missed = true;
    std::vector<RunResults> results(scenarios.size());
    const std::size_t width = static_cast<std::size_t>(std::max(1, jobs));
    for (std::size_t begin = 0; begin < scenarios.size(); begin += width) {
      const std::size_t end = std::min(scenarios.size(), begin + width);
      std::vector<std::unique_ptr<IsolatedRun>> runs;
      for (std::size_t i = begin; i < end; ++i) runs.push_back(std::make_unique<IsolatedRun>(scenarios[i], options));
      for (std::size_t i = begin; i < end; ++i) results[i] = runs[i - begin]->wait();
    }
    return results;
  };
}

CapacityResult find_capacity(const Scenario& scenario, const CapacityOptions& options, const RateEvaluator& evaluate) {
  return Search(scenario, options, evaluate).run();
}

}  // namespace recsim
