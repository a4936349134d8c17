#include "sim/search/capacity_search.h"

#include "sim/engine/isolated_run.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace recsim {
namespace {

// Rates below this fraction of the starting rate are not tried: the SLA is then unreachable at any
// load (the target is below the latency of a query alone).
constexpr double kLowestFraction = 1e-6;
// Rates above this multiple of the starting rate are not tried either.
constexpr double kHighestMultiple = 1e9;

class Search {
 public:
  Search(const Scenario& s, const CapacityOptions& o, const RateEvaluator& e) : scenario_(s), options_(o), evaluate_(e) {}

  CapacityResult run() {
    const int jobs = std::max(1, options_.jobs);
    const double start = scenario_.arrival.qps;
    evaluate({start});
    // Bracket.
    double factor = std::max(1.0 + 1e-6, options_.bracket_factor);
    while (!met_ || !missed_) {
      if (budget_spent()) return finish("evaluation budget spent before the SLA was bracketed");
      std::vector<double> rates;
      if (!met_) {
        const double from = *missed_;
        for (int i = 1; i <= jobs; ++i) rates.push_back(from / std::pow(factor, i));
        if (rates.front() < start * kLowestFraction)
          return finish("the SLA is missed even at " + std::to_string(*missed_) + " qps: the target is below the latency of a lone query");
      } else {
        const double from = *met_;
        for (int i = 1; i <= jobs; ++i) rates.push_back(from * std::pow(factor, i));
        if (rates.front() > start * kHighestMultiple) return finish("the SLA is met at every rate tried");
      }
      evaluate(rates);
      factor *= factor;
    }
    // Bisect.
    while ((*missed_ - *met_) / *met_ > options_.precision) {
      if (budget_spent()) return finish("evaluation budget spent before the precision was reached");
      std::vector<double> rates;
      const double lo = *met_, hi = *missed_;
      for (int i = 1; i <= jobs; ++i) rates.push_back(lo + (hi - lo) * i / (jobs + 1));
      evaluate(rates);
    }
    result_.found = true;
    return finish("");
  }

 private:
  bool budget_spent() const { return static_cast<int>(result_.points.size()) >= options_.max_evaluations; }

  void evaluate(const std::vector<double>& rates) {
    std::vector<Scenario> batch;
    for (double r : rates) {
      Scenario s = scenario_;
      s.arrival.qps = r;
      batch.push_back(std::move(s));
    }
    const std::vector<RunResults> results = evaluate_(batch);
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
      result_.points.push_back(p);
    }
    // The bracket: the highest met rate below the lowest missed one. (With common random numbers the
    // observed percentile rises with the rate, so a met rate above a missed one is noise at most.)
    for (const auto& p : result_.points)
      if (!p.met && (!missed_ || p.qps < *missed_)) missed_ = p.qps;
    met_.reset();
    for (const auto& p : result_.points)
      if (p.met && (!missed_ || p.qps < *missed_) && (!met_ || p.qps > *met_)) met_ = p.qps;
  }

  CapacityResult finish(const std::string& note) {
    result_.max_qps = met_.value_or(0.0);
    result_.missed_qps = missed_;
    result_.note = note;
    return std::move(result_);
  }

  const Scenario& scenario_;
  const CapacityOptions& options_;
  const RateEvaluator& evaluate_;
  CapacityResult result_;
  std::optional<double> met_, missed_;
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
