#include "sim/search/tuning.h"

#include "kernels/profiles/batch_ladder.h"
#include "sim/engine/isolated_run.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/search/capacity_search.h"
#include "sim/search/profile_uncertainty.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

// The default offload-threshold ladder: the batch ladder from its largest value at or below the
// 1st percentile of the query sizes (estimated from 20,000 draws of a fixed stream) upward. Lower
// thresholds all offload the same queries, so climbing them only walks a plateau.
std::vector<int> threshold_ladder_for(const QuerySizeSpec& sizes) {
  std::vector<int> ladder = default_batch_ladder();
  if (sizes.from_trace()) return ladder;
  auto distribution = make_query_sizes(sizes);
  Rng rng(0x7e57a11);
  std::vector<int> draws(20000);
  for (int& d : draws) d = distribution->sample(rng);
  std::nth_element(draws.begin(), draws.begin() + 200, draws.end());
  const int small = draws[200];
  std::size_t start = 0;
  while (start + 1 < ladder.size() && ladder[start + 1] <= small) ++start;
  return {ladder.begin() + static_cast<std::ptrdiff_t>(start), ladder.end()};
}

// The scenario with a configuration of the search: the static policy, or deeprecsched with a threshold.
Scenario configured(const Scenario& scenario, const TuneConfig& config) {
  Scenario s = scenario;
  for (auto& scheduler : s.fleet.models.front().scheduler) {  // the one model, on every kind
    scheduler.batch_size = config.batch_size;
    scheduler.policy = config.gpu_threshold ? "deeprecsched" : "static";
    scheduler.gpu_threshold = config.gpu_threshold.value_or(0);
  }
  return s;
}

}  // namespace

json tune_point_json(const TunePoint& p) {
  return {{"batch_size", p.config.batch_size},
          {"gpu_threshold", p.config.gpu_threshold ? json(*p.config.gpu_threshold) : json(nullptr)},
          {"max_qps", p.screened ? json(nullptr) : json(p.max_qps)},
          {"phase", p.phase},
          {"evaluations", p.evaluations},
          {"screened_below_qps", p.screened ? json(p.below_qps) : json(nullptr)},
          {"rel_uncertainty", p.rel_uncertainty}};
}

std::string tune_csv_header() { return "batch_size,gpu_threshold,qps,observed_ms,ci95_low_ms,ci95_high_ms,met,saturated,stopped_early\n"; }

std::string tune_csv_rows(const std::string& prefix, const std::optional<TuneConfig>& c, const CapacityResult& r) {
  std::string text;
  for (const auto& p : r.points) {
    char row[256];
    std::snprintf(row, sizeof row, "%s,%s,%.9g,%s,%s,%s,%s,%s,%s\n", c ? std::to_string(c->batch_size).c_str() : "",
                  c && c->gpu_threshold ? std::to_string(*c->gpu_threshold).c_str() : "", p.qps,
                  p.observed_ms ? std::to_string(*p.observed_ms).c_str() : "",
                  p.ci95_ms ? std::to_string(p.ci95_ms->first).c_str() : "",
                  p.ci95_ms ? std::to_string(p.ci95_ms->second).c_str() : "", p.met ? "true" : "false",
                  p.saturated ? "true" : "false", p.stopped_early ? "true" : "false");
    text += prefix + row;
  }
  return text;
}

namespace {

json report_json(const Scenario& s, const TuneResult& r, const SeedSpread& spread, int jobs, double wall) {
  json path = json::array();
  for (const auto& p : r.path) path.push_back(tune_point_json(p));
  json indistinguishable = json::array();
  for (const auto& p : r.indistinguishable) indistinguishable.push_back(tune_point_json(p));
  const auto ci = spread.ci95(r.best);
  json j = {{"scenario", s.name},
            {"seed", s.seed},
            {"search", r.search},
            {"sla", {{"percentile", s.fleet.models.front().sla.percentile}, {"target_ms", s.fleet.models.front().sla.target_ms}}},
            {"best", {{"batch_size", r.best.config.batch_size},
                      {"gpu_threshold", r.best.config.gpu_threshold ? json(*r.best.config.gpu_threshold) : json(nullptr)},
                      {"max_qps", r.best.max_qps},
                      {"ci95_qps", {ci.first, ci.second}},
                      {"rel_uncertainty", r.best.rel_uncertainty}}},
            {"baseline", {{"batch_size", r.baseline.config.batch_size}, {"max_qps", r.baseline.max_qps}}},
            {"climb", tune_point_json(r.climb)},
            {"speedup", r.baseline.max_qps > 0 ? json(r.best.max_qps / r.baseline.max_qps) : json(nullptr)},
            {"gain_beyond_noise", gain_beyond_noise(r, spread)},
            {"evaluations", r.evaluations},
            {"search_evaluations", r.search_evaluations},
            {"path", path},
            {"indistinguishable", indistinguishable},
            {"seed_spread", {{"seeds", spread.seeds}, {"max_qps", spread.max_qps}, {"rel_sd", spread.rel_sd},
                             {"evaluations", spread.evaluations}}}};
  if (r.grid_best) {
    json points = json::array();
    for (const auto& p : r.grid) points.push_back(tune_point_json(p));
    j["grid"] = {{"best", tune_point_json(*r.grid_best)},
                 {"climb_vs_grid", r.grid_best->max_qps > 0 ? json(r.climb.max_qps / r.grid_best->max_qps) : json(nullptr)},
                 {"best_vs_grid", r.grid_best->max_qps > 0 ? json(r.best.max_qps / r.grid_best->max_qps) : json(nullptr)},
                 {"points", points}};
  }
  j["engine"] = {{"wall_seconds", wall}, {"jobs", jobs}, {"queries_per_evaluation", s.run.queries}};
  return j;
}

}  // namespace

SeedSpread measure_at_seeds(const Scenario& configured, double max_qps, int seeds, const CapacityOptions& c,
                            const RateEvaluator& evaluator, const std::function<void(const std::string&)>& step,
                            const std::string& what) {
  SeedSpread spread;
  spread.seeds.push_back(configured.seed);
  spread.max_qps.push_back(max_qps);
  for (int k = 1; k < seeds && max_qps > 0; ++k) {
    Scenario s = configured;
    s.seed = configured.seed + static_cast<std::uint64_t>(k);
    s.arrival.qps = max_qps;
    CapacityOptions co = c;
    co.bracket_factor = 1.25;
    const CapacityResult cr = find_capacity(s, co, evaluator);
    if (step) {
      char text[128];
      std::snprintf(text, sizeof text, " at seed %llu: %.6g qps, %zu simulations", static_cast<unsigned long long>(s.seed),
                    cr.max_qps, cr.points.size());
      step(what + text);
    }
    spread.seeds.push_back(s.seed);
    spread.max_qps.push_back(cr.max_qps);
    spread.evaluations += static_cast<int>(cr.points.size());
  }
  if (spread.max_qps.size() > 1) {
    double mean = 0, var = 0;
    for (double q : spread.max_qps) mean += q / static_cast<double>(spread.max_qps.size());
    for (double q : spread.max_qps) var += (q - mean) * (q - mean) / static_cast<double>(spread.max_qps.size() - 1);
    spread.rel_sd = mean > 0 ? std::sqrt(var) / mean : 0.0;
  }
  return spread;
}

std::pair<double, double> SeedSpread::ci95(const TunePoint& best) const {
  const double u = std::hypot(best.rel_uncertainty, rel_sd);
  return {best.max_qps * (1 - 1.96 * u), best.max_qps * (1 + 1.96 * u)};
}

bool gain_beyond_noise(const TuneResult& r, const SeedSpread& spread) {
  if (r.best.config == r.baseline.config || !(r.best.max_qps > 0)) return false;
  if (!(r.baseline.max_qps > 0)) return spread.ci95(r.best).first > 0;
  return !within_noise(r.best, r.baseline);
}

std::string tune_config_text(const TuneConfig& c) {
  return "batch " + std::to_string(c.batch_size) + (c.gpu_threshold ? ", gpu threshold " + std::to_string(*c.gpu_threshold) : "");
}

TuneOptions prepare_tune(const Scenario& scenario, const TuneRequest& request, const std::string& scenario_file) {
  if (scenario.format >= 2) throw std::logic_error("prepare_tune: " + scenario_file + " is a fleet (sim/search/fleet_tuning.h)");
  // A trace's rate is varied by scaling its time axis (workload.arrival.qps); one whose arrivals all
  // come at once has no rate.
  if (scenario.arrival.from_trace() && scenario.arrival.trace_recorded_qps == 0.0)
    throw InputError("workload.arrival.file", "recsim tune varies the arrival rate, and this trace's arrivals all come at time 0");
  TuneOptions o;
  o.batch_ladder = request.batches.empty() ? default_batch_ladder() : request.batches;
  // The no-splitting baseline's batch size: the largest query the workload can draw (with an
  // arrival trace, the largest in the trace).
  const FleetModel& model = scenario.fleet.models.front();
  o.baseline_batch = model.query_size.largest();
  // With GPUs (and a GPU profile), the offload threshold is climbed after the batch size.
  const bool can_offload = scenario.total_gpus() > 0 && model.first_service().gpu_curve.has_value();
  if (!request.thresholds.empty() && !can_offload)
    throw InputError("--thresholds", "the scenario cannot offload: it needs servers with GPUs and service.gpu_profile");
  if (can_offload) o.threshold_ladder = request.thresholds.empty() ? threshold_ladder_for(model.query_size) : request.thresholds;
  o.grid = request.grid;
  // The costliest configuration: the smallest batch size of the ladder, at the starting rate, and at
  // the lowest rate a search may try (what no machine can do).
  Scenario costliest = scenario;
  for (auto& scheduler : costliest.fleet.models.front().scheduler) scheduler.batch_size = o.batch_ladder.front();
  check_resources(costliest, request.allow_large);
  costliest.arrival.qps = lowest_searchable_qps(costliest, request.allow_large);
  check_resources(costliest, true);
  return o;
}

TuneReport run_tune(const Scenario& scenario, const TuneOptions& o, const TuneRequest& request) {
  TuneReport report;
  report.jobs = request.jobs;
  std::string csv;
  CapacityOptions c;
  c.precision = request.precision;
  c.jobs = request.jobs;
  c.allow_large = request.allow_large;
  const RateEvaluator evaluator = isolated_evaluator(c.jobs);
  const ProfileUncertainty uncertainty(scenario, request.precision);
  double start_qps = scenario.arrival.qps;
  const CapacityOf capacity_of = [&](const TuneConfig& config, std::optional<double> floor) {
    Scenario s = configured(scenario, config);
    s.arrival.qps = start_qps;  // the last answer is a good first guess for the next configuration
    CapacityOptions co = c;
    if (start_qps != scenario.arrival.qps) co.bracket_factor = 1.25;  // the previous answer is close
    if (floor) {
      s.arrival.qps = *floor;  // a screen: the load to beat first
      co.floor = floor;
    }
    const CapacityResult r = find_capacity(s, co, evaluator);
    csv += tune_csv_rows(request.csv_prefix, config, r);
    if (request.step) {
      char text[128];
      if (r.screened)
        std::snprintf(text, sizeof text, "below %.6g qps (missed there: screened out), %zu simulation%s", *r.missed_qps, r.points.size(),
                      r.points.size() == 1 ? "" : "s");
      else if (r.missed_below_qps)  // found above misses (docs/capacity.md, step 4)
        std::snprintf(text, sizeof text, "%.6g qps (but missed at %.6g, a lower load), %zu simulations", r.max_qps,
                      *r.missed_below_qps, r.points.size());
      else
        std::snprintf(text, sizeof text, "%.6g qps, %zu simulations", r.max_qps, r.points.size());
      request.step(tune_config_text(config) + ": " + text);
    }
    if (r.max_qps > 0) start_qps = r.max_qps;
    TunePoint p{config, r.max_qps, static_cast<int>(r.points.size()), ""};
    p.rel_uncertainty = uncertainty.relative_error(config);
    if (r.screened) {
      p.screened = true;
      p.max_qps = 0;
      p.below_qps = *r.missed_qps;
    }
    return p;
  };
  const auto started = std::chrono::steady_clock::now();
  report.result = tune_search(request.search, o, capacity_of);
  report.spread = measure_at_seeds(configured(scenario, report.result.best.config), report.result.best.max_qps, request.seeds, c,
                                   evaluator, request.step, "the best");
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.csv = std::move(csv);
  return report;
}

json tune_report_json(const Scenario& scenario, const TuneReport& report) {
  return report_json(scenario, report.result, report.spread, report.jobs, report.wall_seconds);
}

}  // namespace recsim
