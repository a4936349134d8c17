#pragma once
// `recsim tune` on a fleet (a format-2 scenario; docs/tuning.md, "Tuning a fleet"): DeepRecSched's
// search (sim/search/tuning.h) for every (model, server kind) hosting it, each on that kind's
// one-server slice, then the whole fleet's capacity with every pair's static baseline, with the
// scenario's own scheduling and with every pair's best, and the tuned fleet at other seeds.
//
// Why slices: a pair's batch size and threshold set how much core (and GPU) time its queries take
// on that kind, which a one-server run of that model alone measures; the balancer and the co-located
// models change how much load each server gets, not that cost. A fleet-wide search would run the
// whole fleet for every configuration of every pair (24 pairs x ~40 capacity evaluations of a
// 360-server fleet in the at-scale study) and its verdicts would be decided by whichever model
// binds first. The fleet's own capacity with the tuned and the baseline configurations then
// measures what the choices are worth together, with everything the slices leave out.
#include "sim/search/tuned_scenario.h"
#include "sim/search/tuning.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

// One (model, kind) of the fleet: its slice, one server of the kind serving the model alone, with
// the fleet's arrival process, seed and run (or `slice_queries`), no network, failures or autoscaling.
struct FleetPair {
  int model = 0;  // index into Fleet::models
  int kind = 0;   // index into Fleet::kinds
  Scenario slice;
  TuneOptions options;
};

struct FleetTunePlan {
  std::vector<FleetPair> pairs;  // model by model, kinds in order
};

// The fleet's capacity with one set of configurations.
struct FleetCapacity {
  std::string what;  // "baseline", "given" or "tuned"
  CapacityResult result;
  // The relative standard error of max_qps as a measure of the configurations: the largest of the
  // pairs' (profile and search precision), the fleet being bound by one model at a time.
  // None: not known (the scenario's own schedulers where a policy is not a point of the search).
  std::optional<double> rel_uncertainty;
  bool same_as_tuned = false, same_as_baseline = false;  // "given" only: not searched again
};

struct FleetTuneReport {
  std::string search;             // TuneRequest::search
  std::vector<TuneReport> pairs;  // as FleetTunePlan::pairs
  FleetConfigs tuned, baseline;   // per model and kind
  FleetCapacity baseline_capacity, given_capacity, tuned_capacity;
  SeedSpread spread;              // the tuned fleet at other seeds
  std::string csv;                // rows of fleet_tune_csv_header()
  double wall_seconds = 0;
  int jobs = 1;
  int evaluations = 0;            // every simulation but the other seeds'
};

// Every pair's slice and options, each checked as a format-1 tune's (prepare_tune), and the
// fleet's costliest configuration within the resource limits; throws InputError before any work.
// `slice_queries`: the slices' queries per simulation (warm-up scaled alike); none: the fleet's.
FleetTunePlan prepare_fleet_tune(const Scenario& fleet, const TuneRequest& request, std::optional<std::uint64_t> slice_queries,
                                 const std::string& scenario_file);

FleetTuneReport run_fleet_tune(const Scenario& fleet, const FleetTunePlan& plan, const TuneRequest& request);

// Whether the tuned fleet's capacity beats the baseline's beyond noise (gain_beyond_noise's rule).
bool fleet_gain_beyond_noise(const FleetTuneReport& report);

// The tuning JSON of `recsim tune --out` for a fleet (without its provenance).
nlohmann::ordered_json fleet_tune_json(const Scenario& fleet, const FleetTunePlan& plan, const FleetTuneReport& report);

// The human summary.
std::string fleet_tune_summary(const Scenario& fleet, const FleetTunePlan& plan, const FleetTuneReport& report);

std::string fleet_tune_csv_header();

}  // namespace recsim
