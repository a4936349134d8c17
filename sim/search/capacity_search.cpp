#include "sim/search/capacity_search.h"

#include "sim/engine/isolated_run.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/search/stability_limit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

namespace recsim {
namespace {

// Rates above this multiple of the starting rate are not tried either.
constexpr double kHighestMultiple = 1e9;

// The search is one sequential algorithm: each next rate depends only on the verdicts of the rates
// before it (its path), so its answer, points and evaluation count are the same whatever the number
// of jobs. Parallel jobs only look ahead: each round evaluates the next rate and, breadth first,
// the rates that would follow each possible verdict (the decision tree), up to `jobs` rates at
// once; the path then follows the verdicts through what was evaluated, and rates off the path are
// discarded (counted in `speculative`).
//
// Saturation from one run: where the offered work does not depend on the rate (RunResults::
// offered_bounds), a run at rate r whose busiest server or GPU is offered `alone` of its capacity
// at the requests' times alone is offered at least r'/r x alone at any rate r', so every rate from
// r / alone up is saturated (a miss) without simulating it: the bound closes the bracket from
// above. Contention raises the offered load towards `all_busy` as the cores fill, so the rate where
// the system saturates lies between r / all_busy (the hint) and the bound. The first rate after the
// bound is known probes the top of that range: the bound / (1 + precision) when the range is
// within the precision (one met run then ends the search), else the hint. A far SLA puts the max
// load just below saturation, where a plain bracketing search spends most of its runs (the dearest:
// near saturation the backlog grows and no early stop applies).
struct PathState {
  std::vector<std::pair<double, bool>> path;  // (rate, met) in evaluation order
  std::optional<double> met, missed;          // the bracket: highest met rate below the lowest missed
  double factor = 2.0;                        // the bracketing step; squared after each bracketing step
  std::optional<double> bound;                // every rate from here up is saturated for certain
  std::optional<double> hint;                 // where the offered load with every core busy reaches 1
  bool probed = false;                        // the probe below the bound was tried (or passed over)
  // Looking above the misses: no rate down to the lowest searchable one met the SLA, so the search
  // steps up from the highest rate tried instead of ending with none. Every rate at or below `above`
  // missed; the bracket is then made of the rates above it only.
  std::optional<double> above;
};

struct NextStep {
  std::optional<double> rate;  // none: the search is over
  std::string note;            // why it is over without an answer; empty when found
};

class Search {
 public:
  Search(const Scenario& s, const CapacityOptions& o, const RateEvaluator& e)
      : scenario_(s), options_(o), evaluate_(e), lowest_(lowest_searchable_qps(s, o.allow_large)) {}

  CapacityResult run() {
    const std::size_t jobs = static_cast<std::size_t>(std::max(1, options_.jobs));
    PathState state;
    state.factor = std::max(1.0 + 1e-6, options_.bracket_factor);
    // The analytic stability limit closes the bracket from above before any run (a finite run's
    // own sample of work can show a rate at or above it as stable).
    result_.stability_limit_qps = cpu_stability_limit_qps(scenario_);
    state.bound = result_.stability_limit_qps;
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
        state = after(state, p.qps, p.met, p.offered_bounds);
        ++used;
      }
      result_.speculative += static_cast<int>(rates.size() - used);
    }
  }

 private:
  // The rate the sequential search evaluates next from `s`, or why it stops.
  // The bracket's upper end: the lowest missed rate or the saturation bound, whichever is lower.
  static std::optional<double> upper(const PathState& s) {
    if (s.missed && s.bound) return std::min(*s.missed, *s.bound);
    return s.missed ? s.missed : s.bound;
  }

  NextStep next(const PathState& s) const {
    const double start = scenario_.arrival.qps;
    if (s.path.empty()) return {s.bound ? std::min(start, *s.bound / (1.0 + options_.precision)) : start, ""};
    if (options_.floor && s.missed && *s.missed <= *options_.floor) return {std::nullopt, ""};  // screened out
    const std::optional<double> missed = upper(s);
    const bool bracketed = s.met && missed;
    // (A bracket made by the probe at bound / (1 + precision) is precise, whatever the rounding.)
    const bool precise = bracketed && (*missed - *s.met) / *s.met <= options_.precision * (1 + 1e-12);
    if (precise) return {std::nullopt, ""};
    if (static_cast<int>(s.path.size()) >= options_.max_evaluations)
      return {std::nullopt, bracketed ? "evaluation budget spent before the precision was reached"
                                      : "evaluation budget spent before the SLA was bracketed"};
    if (const std::optional<double> probe = pending_probe(s)) return {*probe, ""};
    if (bracketed) return {*s.met + (*missed - *s.met) / 2, ""};
    if (goes_above(s)) return upward(looking_above(s));
    if (s.above && !s.met) return upward(s);
    if (!s.met) return {*missed / s.factor, ""};
    const double rate = *s.met * s.factor;
    if (rate > start * kHighestMultiple) return {std::nullopt, "the SLA is met at every rate tried"};
    return {rate, ""};
  }

  // The rate between the hint and the saturation bound, where it is still to be tried (see above).
  std::optional<double> pending_probe(const PathState& s) const {
    if (!s.bound || s.probed) return std::nullopt;
    const double hint = std::min(*s.bound, s.hint.value_or(*s.bound));
    const double probe = hint * (1.0 + options_.precision) >= *s.bound ? *s.bound / (1.0 + options_.precision) : hint;
    if ((!s.met || probe > *s.met) && (!s.missed || probe < *s.missed) && (!s.above || probe > *s.above)) return probe;
    return std::nullopt;
  }

  // Whether the search turns to look above the misses: it has tried rates, none met the SLA, no
  // probe is pending, and the next rate down would be below the lowest searchable rate (a millionth
  // of the start, or where a run would reach the resource limits: lowest_searchable_qps). next()
  // then returns the first rate up, and after() makes the same turn before recording it.
  bool goes_above(const PathState& s) const {
    const std::optional<double> missed = upper(s);
    return !s.path.empty() && !s.above && !s.met && missed && *missed / s.factor < lowest_ && !pending_probe(s);
  }

  // The state that looks above the misses: every rate tried so far missed.
  PathState looking_above(PathState s) const {
    double highest = 0;
    for (const auto& step : s.path) highest = std::max(highest, step.first);
    s.above = highest;
    s.factor = 2.0;  // (whatever the bracketing step: a smaller one would climb to the bound in many runs)
    return s;
  }

  // Above the misses, nothing met yet: the next rate up, at most just below the saturation bound
  // (none once that is passed). Below a bound the step stays x2 (whatever the bracketing factor), so
  // a band of met loads as narrow as a factor of two above the misses is not stepped over; with no
  // bound it squares after each miss, as when bracketing, to reach 1e9 x the start in a few runs. Where
  // the verdicts are monotone in the load (the usual case) this only confirms that no load meets
  // the SLA; where they are not (a fleet whose balancer moves queries to faster servers as queues
  // grow can meet an SLA at high load that it misses at low load), it finds such loads when they
  // reach up to one of its steps.
  NextStep upward(const PathState& s) const {
    const double start = scenario_.arrival.qps;
    double rate = *s.above * s.factor;
    if (s.bound) rate = std::min(rate, *s.bound / (1.0 + options_.precision));
    if (rate > *s.above && rate <= start * kHighestMultiple) return {rate, ""};
    double lowest = *s.above;
    for (const auto& step : s.path) lowest = std::min(lowest, step.first);
    char text[200];
    std::snprintf(text, sizeof text,
                  "the SLA is missed at every rate tried, from %.6g to %.6g qps (at the lowest, the target is below the "
                  "latency of a lone query)",
                  lowest, *s.above);
    return {std::nullopt, text};
  }

  // The state after evaluating `rate` with verdict `met`.
  PathState after(PathState s, double rate, bool met, const std::optional<RunResults::OfferedBounds>& offered = {}) const {
    if (goes_above(s)) s = looking_above(std::move(s));
    const bool was_bracketing = !(s.met && upper(s));
    // The first rate is the scenario's, not a probe (a bound can be known before it: the analytic limit).
    s.probed = s.probed || (s.bound.has_value() && !s.path.empty());
    if (offered && offered->alone > 0.0) {
      const double bound = rate / offered->alone;
      if (!s.bound || bound < *s.bound) s.bound = bound;
      if (offered->all_busy > 0.0 && (!s.hint || rate / offered->all_busy < *s.hint)) s.hint = rate / offered->all_busy;
    }
    s.path.emplace_back(rate, met);
    // Above the misses, a miss before any rate met raises the floor of the bracket.
    if (s.above && !s.met && !met) s.above = std::max(*s.above, rate);
    // The bracket: the highest met rate below the lowest missed one (above the misses, of the rates
    // above them). (With common random numbers the observed percentile rises with the rate, so a
    // met rate just above a missed one is noise at most.)
    const auto counts = [&](double q) { return !s.above || q > *s.above; };
    s.missed.reset();
    for (const auto& [q, m] : s.path)
      if (!m && counts(q) && (!s.missed || q < *s.missed)) s.missed = q;
    s.met.reset();
    for (const auto& [q, m] : s.path)
      if (m && counts(q) && (!s.missed || q < *s.missed) && (!s.met || q > *s.met)) s.met = q;
    // (Climbing above the misses towards a bound, the step does not grow: see upward().)
    const bool climbing_to_bound = s.above && !s.met && s.bound;
    if (was_bracketing && s.path.size() > 1 && !climbing_to_bound) s.factor *= s.factor;
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
      p.offered_bounds = r.offered_bounds;
      points.push_back(p);
    }
    return points;
  }

  CapacityResult finish(const PathState& s, const std::string& note) {
    result_.screened = options_.floor && s.missed && *s.missed <= *options_.floor;
    result_.found = s.met && upper(s) && note.empty() && !result_.screened;
    result_.max_qps = s.met.value_or(0.0);
    result_.missed_qps = upper(s);
    if (!s.met)  // no answer: the lowest rate missed on the whole path (or the bound, if lower)
      for (const auto& [q, m] : s.path)
        if (!m && (!result_.missed_qps || q < *result_.missed_qps)) result_.missed_qps = q;
    result_.saturation_bound_qps = s.bound;
    result_.note = result_.screened ? "missed the SLA at or below the load to beat: not searched further" : note;
    // A missed rate below the answer: the search found the answer above the misses.
    if (s.met)
      for (const auto& [q, m] : s.path)
        if (!m && q < *s.met && (!result_.missed_below_qps || q > *result_.missed_below_qps)) result_.missed_below_qps = q;
    return std::move(result_);
  }

  const Scenario& scenario_;
  const CapacityOptions& options_;
  const RateEvaluator& evaluate_;
  const double lowest_;  // the lowest rate tried
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

std::string missed_below_text(double missed_below_qps) {
  char text[240];
  std::snprintf(text, sizeof text,
                "the SLA is also missed at %.6g qps, below this answer: the verdicts are not monotone in the load, so "
                "not every lower load is within the SLA",
                missed_below_qps);
  return text;
}

CapacityResult find_capacity(const Scenario& scenario, const CapacityOptions& options, const RateEvaluator& evaluate) {
  return Search(scenario, options, evaluate).run();
}

}  // namespace recsim
