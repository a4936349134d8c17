// `recsim tune SCENARIO.json [--out FILE] [--set PATH=VALUE]... [--jobs N] [--grid] [--batches LIST]
//              [--thresholds LIST] [--precision P] [--search golden|climb] [--seeds N] [--csv FILE] [--quiet]`:
// DeepRecSched's search (sim/search/tune_search.h) with the capacity search (sim/search/capacity_search.h)
// as its measure.
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/list_parsing.h"
#include "sim/cli/output_path.h"
#include "sim/cli/step_log.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scenario/profile_shape.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/capacity_search.h"
#include "sim/search/profile_uncertainty.h"
#include "sim/search/tune_search.h"
#include "workloads/input_error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <thread>

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

struct TuneFlags {
  std::string scenario;
  std::string out;
  std::vector<std::string> sets;
  int jobs = 0;
  bool grid = false;
  std::string batches;
  std::string thresholds;
  std::string csv;
  double precision = 0.01;
  std::string search = "golden";
  int seeds = 3;
  bool quiet = false;
  bool allow_large = false;
  bool validate_only = false;
};

// The default offload-threshold ladder: the batch ladder from its largest value at or below the
// 1st percentile of the query sizes (estimated from 20,000 draws of a fixed stream) upward. Lower
// thresholds all offload the same queries, so climbing them only walks a plateau.
std::vector<int> threshold_ladder_for(const QuerySizeSpec& sizes) {
  std::vector<int> ladder = default_batch_ladder();
  if (sizes.distribution == QuerySizeSpec::Distribution::trace) return ladder;
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
  s.scheduler.batch_size = config.batch_size;
  s.scheduler.policy = config.gpu_threshold ? "deeprecsched" : "static";
  s.scheduler.gpu_threshold = config.gpu_threshold.value_or(0);
  return s;
}

json point_json(const TunePoint& p) {
  return {{"batch_size", p.config.batch_size},
          {"gpu_threshold", p.config.gpu_threshold ? json(*p.config.gpu_threshold) : json(nullptr)},
          {"max_qps", p.screened ? json(nullptr) : json(p.max_qps)},
          {"phase", p.phase},
          {"evaluations", p.evaluations},
          {"screened_below_qps", p.screened ? json(p.below_qps) : json(nullptr)},
          {"rel_uncertainty", p.rel_uncertainty}};
}

// The best configuration's max load at other seeds (the run's own sampling noise, which the tune's
// shared random numbers leave out of its comparisons) and the confidence interval from it and the
// configuration's own uncertainty.
struct SeedSpread {
  std::vector<std::uint64_t> seeds;
  std::vector<double> max_qps;
  int evaluations = 0;
  double rel_sd = 0;  // sample standard deviation over the mean (0 with one seed)
  std::pair<double, double> ci95(const TunePoint& best) const {
    const double u = std::hypot(best.rel_uncertainty, rel_sd);
    return {best.max_qps * (1 - 1.96 * u), best.max_qps * (1 + 1.96 * u)};
  }
};

// Whether the best beats the static baseline beyond noise: the two differ by more than 1.96
// standard errors (TuneResult::indistinguishable's rule), or the baseline meets the SLA at no rate
// while the best's 95% interval stays above zero (splitting is what meets it at all).
bool gain_beyond_noise(const TuneResult& r, const SeedSpread& spread) {
  if (r.best.config == r.baseline.config || !(r.best.max_qps > 0)) return false;
  if (!(r.baseline.max_qps > 0)) return spread.ci95(r.best).first > 0;
  return !within_noise(r.best, r.baseline);
}

json to_json(const Scenario& s, const TuneResult& r, const SeedSpread& spread, int jobs, double wall) {
  json path = json::array();
  for (const auto& p : r.path) path.push_back(point_json(p));
  json indistinguishable = json::array();
  for (const auto& p : r.indistinguishable) indistinguishable.push_back(point_json(p));
  const auto ci = spread.ci95(r.best);
  json j = {{"scenario", s.name},
            {"seed", s.seed},
            {"search", r.search},
            {"sla", {{"percentile", s.sla.percentile}, {"target_ms", s.sla.target_ms}}},
            {"best", {{"batch_size", r.best.config.batch_size},
                      {"gpu_threshold", r.best.config.gpu_threshold ? json(*r.best.config.gpu_threshold) : json(nullptr)},
                      {"max_qps", r.best.max_qps},
                      {"ci95_qps", {ci.first, ci.second}},
                      {"rel_uncertainty", r.best.rel_uncertainty}}},
            {"baseline", {{"batch_size", r.baseline.config.batch_size}, {"max_qps", r.baseline.max_qps}}},
            {"climb", point_json(r.climb)},
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
    for (const auto& p : r.grid) points.push_back(point_json(p));
    j["grid"] = {{"best", point_json(*r.grid_best)},
                 {"climb_vs_grid", r.grid_best->max_qps > 0 ? json(r.climb.max_qps / r.grid_best->max_qps) : json(nullptr)},
                 {"best_vs_grid", r.grid_best->max_qps > 0 ? json(r.best.max_qps / r.grid_best->max_qps) : json(nullptr)},
                 {"points", points}};
  }
  j["engine"] = {{"wall_seconds", wall}, {"jobs", jobs}, {"queries_per_evaluation", s.run.queries}};
  return j;
}

std::string fmt_qps(double qps) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", qps);
  return b;
}

std::string config_text(const TuneConfig& c) {
  return "batch " + std::to_string(c.batch_size) + (c.gpu_threshold ? ", gpu threshold " + std::to_string(*c.gpu_threshold) : "");
}

std::string summary(const Scenario& s, const TuneResult& r, const SeedSpread& spread, double wall) {
  char line[256];
  std::snprintf(line, sizeof line, "recsim tune: %s (seed %llu), max load with p%g <= %g ms (search: %s)\n", s.name.c_str(),
                static_cast<unsigned long long>(s.seed), s.sla.percentile, s.sla.target_ms, r.search.c_str());
  std::string out = line;
  std::snprintf(line, sizeof line, "  %-10s %10s %13s %14s\n", "step", "batch", "gpu threshold", "max qps");
  out += line;
  auto row = [&](const TunePoint& p) {
    const std::string t = p.config.gpu_threshold ? std::to_string(*p.config.gpu_threshold) : "-";
    if (p.screened) {
      std::string below = "< ";
      below += fmt_qps(p.below_qps);
      std::snprintf(line, sizeof line, "  %-10s %10d %13s %14s (missed there: screened out)\n", p.phase.c_str(), p.config.batch_size,
                    t.c_str(), below.c_str());
    } else
      std::snprintf(line, sizeof line, "  %-10s %10d %13s %14.6g\n", p.phase.c_str(), p.config.batch_size, t.c_str(),
                    p.max_qps);
    out += line;
  };
  row(r.baseline);
  for (const auto& p : r.path) row(p);
  const std::string t = r.best.config.gpu_threshold ? std::to_string(*r.best.config.gpu_threshold) : "none";
  std::snprintf(line, sizeof line, "  best: batch %d, gpu threshold %s: %.6g qps", r.best.config.batch_size, t.c_str(),
                r.best.max_qps);
  out += line;
  if (r.baseline.max_qps > 0) {
    std::snprintf(line, sizeof line, ", %.2fx the static baseline (batch %d, %.6g qps)", r.best.max_qps / r.baseline.max_qps,
                  r.baseline.config.batch_size, r.baseline.max_qps);
    out += line;
  }
  out += "\n";
  const auto ci = spread.ci95(r.best);
  std::snprintf(line, sizeof line, "  best's max load, 95%% interval: %.6g - %.6g qps (fitted profile and search precision %.1f%%",
                ci.first, ci.second, 100 * r.best.rel_uncertainty);
  out += line;
  if (spread.seeds.size() > 1) {
    std::snprintf(line, sizeof line, ", %zu seeds %.1f%%", spread.seeds.size(), 100 * spread.rel_sd);
    out += line;
  }
  out += ")\n";
  if (!(r.best.config == r.baseline.config) && r.best.max_qps > 0) {
    const bool beyond = gain_beyond_noise(r, spread);
    if (!(r.baseline.max_qps > 0))
      std::snprintf(line, sizeof line, "  the static baseline (batch %d) meets the SLA at no rate: %s\n", r.baseline.config.batch_size,
                    beyond ? "splitting is what meets it (the best's interval stays above zero)"
                           : "the best's interval reaches zero, so no gain can be claimed");
    else
      std::snprintf(line, sizeof line, "  %s\n",
                    beyond ? "the gain over the baseline is beyond noise (the two differ by more than 1.96 standard errors)"
                           : "the baseline is within noise of the best: no gain over it can be claimed");
    out += line;
  }
  if (r.indistinguishable.size() > 1) {
    out += "  within noise of the best (not to be told apart):";
    for (std::size_t i = 0; i < r.indistinguishable.size(); ++i) {
      const TunePoint& p = r.indistinguishable[i];
      std::snprintf(line, sizeof line, "%s %s (%.6g qps)", i ? ";" : "", config_text(p.config).c_str(), p.max_qps);
      out += line;
    }
    out += "\n";
  }
  if (!(r.climb.config == r.best.config)) {
    const std::string ct = r.climb.config.gpu_threshold ? std::to_string(*r.climb.config.gpu_threshold) : "none";
    std::snprintf(line, sizeof line, "  the %s ended at batch %d, gpu threshold %s: %.6g qps, below the baseline, which is kept\n",
                  r.search == "climb" ? "climb" : "search", r.climb.config.batch_size, ct.c_str(), r.climb.max_qps);
    out += line;
  }
  if (r.grid_best) {
    const std::string gt = r.grid_best->config.gpu_threshold ? std::to_string(*r.grid_best->config.gpu_threshold) : "none";
    std::snprintf(line, sizeof line, "  grid optimum: batch %d, gpu threshold %s: %.6g qps (the %s reached %.1f%% of it, the best %.1f%%)\n",
                  r.grid_best->config.batch_size, gt.c_str(), r.grid_best->max_qps, r.search == "climb" ? "climb" : "search",
                  r.grid_best->max_qps > 0 ? 100 * r.climb.max_qps / r.grid_best->max_qps : 0.0,
                  r.grid_best->max_qps > 0 ? 100 * r.best.max_qps / r.grid_best->max_qps : 0.0);
    out += line;
  }
  std::snprintf(line, sizeof line, "  %d simulations (and %d for the other seeds) in %.2f s\n", r.evaluations, spread.evaluations, wall);
  return out + line;
}

// Every simulation of the tune, one CSV row each: the configuration, the rate, and the verdict.
struct EvaluationLog {
  std::string text = "batch_size,gpu_threshold,qps,observed_ms,ci95_low_ms,ci95_high_ms,met,saturated,stopped_early\n";
  void add(const TuneConfig& c, const CapacityResult& r) {
    for (const auto& p : r.points) {
      char row[256];
      std::snprintf(row, sizeof row, "%d,%s,%.9g,%s,%s,%s,%s,%s,%s\n", c.batch_size,
                    c.gpu_threshold ? std::to_string(*c.gpu_threshold).c_str() : "", p.qps,
                    p.observed_ms ? std::to_string(*p.observed_ms).c_str() : "",
                    p.ci95_ms ? std::to_string(p.ci95_ms->first).c_str() : "",
                    p.ci95_ms ? std::to_string(p.ci95_ms->second).c_str() : "", p.met ? "true" : "false",
                    p.saturated ? "true" : "false", p.stopped_early ? "true" : "false");
      text += row;
    }
  }
};

int execute(const TuneFlags& f) {
  const Scenario scenario = load_scenario(f.scenario, f.sets);
  if (scenario.format >= 2)
    throw InputError(f.scenario, "tune searches one model's batch size and offload threshold on one kind of server: give it a "
                                 "format-1 scenario per (model, server kind) and put the results in the format-2 scenario's "
                                 "scheduler_by_kind (docs/datacenter.md)");
  // A trace's rate is varied by scaling its time axis (workload.arrival.qps); one whose arrivals all
  // come at once has no rate.
  if (scenario.arrival.process == ArrivalSpec::Process::trace && scenario.arrival.trace_recorded_qps == 0.0)
    throw InputError("workload.arrival.file", "recsim tune varies the arrival rate, and this trace's arrivals all come at time 0");
  TuneOptions o;
  // parse_int_list sorts the ladder and rejects repeated values.
  o.batch_ladder = f.batches.empty() ? default_batch_ladder() : parse_int_list("--batches", f.batches, 1, 1'000'000'000);
  // The no-splitting baseline's batch size: the largest query the workload can draw (with an
  // arrival trace, the largest in the trace).
  o.baseline_batch = scenario.query_size.largest();
  // With GPUs (and a GPU profile), the offload threshold is climbed after the batch size.
  const bool can_offload = scenario.total_gpus() > 0 && scenario.service.gpu_curve.has_value();
  if (!f.thresholds.empty() && !can_offload)
    throw InputError("--thresholds", "the scenario cannot offload: it needs servers with GPUs and service.gpu_profile");
  if (can_offload)
    o.threshold_ladder = f.thresholds.empty() ? threshold_ladder_for(scenario.query_size)
                                              : parse_int_list("--thresholds", f.thresholds, 1, 1'000'000'000);
  o.grid = f.grid;
  {  // the costliest configuration: the smallest batch size of the ladder, at the starting rate
    Scenario costliest = scenario;
    costliest.scheduler.batch_size = o.batch_ladder.front();
    check_resources(costliest, f.allow_large);
    costliest.arrival.qps = lowest_searchable_qps(costliest, f.allow_large);  // the lowest rate a search may try: what no machine can do
    check_resources(costliest, true);
  }
  if (!f.out.empty()) check_output_path("--out", f.out, scenario.input_files());
  if (!f.csv.empty())
    check_output_path("--csv", f.csv, scenario.input_files(), f.out.empty() ? std::vector<std::string>{} : std::vector<std::string>{f.out});
  if (f.validate_only) return kExitDone;
  EvaluationLog log;
  StepLog steps("recsim tune", f.quiet);

  CapacityOptions c;
  c.precision = f.precision;
  c.jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  c.allow_large = f.allow_large;
  const auto provenance = provenance_json(scenario);
  const RateEvaluator evaluator = isolated_evaluator(c.jobs);
  const ProfileUncertainty uncertainty(scenario, f.precision);
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
    log.add(config, r);
    const std::string what = config_text(config) + ": ";
    char text[128];
    if (r.screened)
      std::snprintf(text, sizeof text, "below %.6g qps (missed there: screened out), %zu simulation%s", *r.missed_qps, r.points.size(),
                    r.points.size() == 1 ? "" : "s");
    else
      std::snprintf(text, sizeof text, "%.6g qps, %zu simulations", r.max_qps, r.points.size());
    steps.step(what + text);
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
  const TuneResult r = tune_search(f.search, o, capacity_of);
  SeedSpread spread;
  spread.seeds.push_back(scenario.seed);
  spread.max_qps.push_back(r.best.max_qps);
  for (int k = 1; k < f.seeds && r.best.max_qps > 0; ++k) {
    Scenario s = configured(scenario, r.best.config);
    s.seed = scenario.seed + static_cast<std::uint64_t>(k);
    s.arrival.qps = r.best.max_qps;
    CapacityOptions co = c;
    co.bracket_factor = 1.25;
    const CapacityResult cr = find_capacity(s, co, evaluator);
    char text[128];
    std::snprintf(text, sizeof text, "the best at seed %llu: %.6g qps, %zu simulations", static_cast<unsigned long long>(s.seed),
                  cr.max_qps, cr.points.size());
    steps.step(text);
    spread.seeds.push_back(s.seed);
    spread.max_qps.push_back(cr.max_qps);
    spread.evaluations += static_cast<int>(cr.points.size());
  }
  steps.finish();
  if (spread.max_qps.size() > 1) {
    double mean = 0, var = 0;
    for (double q : spread.max_qps) mean += q / static_cast<double>(spread.max_qps.size());
    for (double q : spread.max_qps) var += (q - mean) * (q - mean) / static_cast<double>(spread.max_qps.size() - 1);
    spread.rel_sd = mean > 0 ? std::sqrt(var) / mean : 0.0;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::vector<std::pair<std::string, std::string>> outputs;  // written all or nothing
  if (!f.out.empty()) {
    auto document = to_json(scenario, r, spread, c.jobs, wall);
    document["provenance"] = provenance;
    outputs.emplace_back(f.out, document.dump(2) + "\n");
  }
  if (!f.csv.empty()) outputs.emplace_back(f.csv, log.text);
  write_files_atomically(outputs);
  if (!f.quiet) std::fputs(summary(scenario, r, spread, wall).c_str(), stdout);
  if (!f.quiet) print_profile_shape_warnings(scenario);  // notes after the answer
  return kExitDone;
}

}  // namespace

void add_tune_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<TuneFlags>();
  auto* cmd = app.add_subcommand("tune", "Search the per-core batch size and GPU offload threshold (DeepRecSched) for the most load under the SLA");
  cmd->add_option("scenario", f->scenario, "Scenario JSON file")->required()->check(non_empty());
  cmd->add_option("--out", f->out, "Write the tuning JSON to FILE (atomically)")->check(non_empty());
  cmd->add_option("--set", f->sets, "Override a scenario value before validation: PATH=VALUE (repeatable)")
      ->allow_extra_args(false)->check(non_empty());
  cmd->add_option("--jobs", f->jobs, "Simulations run at once (default: the CPUs this process may use)")->check(CLI::Range(1, 1024));
  cmd->add_flag("--grid", f->grid, "Also evaluate every batch size of the ladder and compare with the search");
  cmd->add_option("--search", f->search, "The search: golden (golden-section over each ladder, the default) or climb (DeepRecSched's hill climbing)")
      ->check(CLI::IsMember(tune_search_names()));
  cmd->add_option("--seeds", f->seeds, "Seeds the best configuration's max load is measured at, for its interval (default 3; 1: the scenario's only)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--batches", f->batches, "Batch-size ladder (sorted; default 1,2,3,4,6,...,768,1024)")->check(non_empty());
  cmd->add_option("--thresholds", f->thresholds,
                  "GPU offload thresholds to climb (sorted; default 1,2,3,4,6,...,768,1024; needs GPUs)")->check(non_empty());
  cmd->add_option("--precision", f->precision, "Relative precision of each capacity search (default 0.01)")
      ->check(finite_in(1e-6, 1.0));
  cmd->add_option("--csv", f->csv, "Write every simulation (configuration, rate, percentile, verdict) as CSV to FILE")->check(non_empty());
  cmd->add_flag("--quiet", f->quiet, "Print nothing on success");
  cmd->add_flag("--allow-large", f->allow_large,
                "Run even when the resource estimate exceeds this machine's memory or hours of work");
  cmd->add_flag("--validate-only", f->validate_only,
                "Check the scenario and the flags (exit 2 with one line if invalid), then exit 0 without running");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
