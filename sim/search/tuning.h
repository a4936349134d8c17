#pragma once
// The tune workflow (`recsim tune`, docs/capacity.md): DeepRecSched's search
// (sim/search/tune_search.h) with the capacity search (sim/search/capacity_search.h) as its
// measure, each configuration's uncertainty from the fitted profile (profile_uncertainty.h), the
// best configuration measured again at other seeds, and every simulation logged as CSV.
#include "sim/scenario/scenario.h"
#include "sim/search/capacity_search.h"
#include "sim/search/tune_search.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct TuneRequest {
  std::string search = "golden";  // tune_search_names()
  std::vector<int> batches;       // the batch-size ladder, sorted; empty: the default
  std::vector<int> thresholds;    // the offload thresholds, sorted; empty: the default where the scenario can offload
  bool grid = false;              // also every batch size of the ladder
  double precision = 0.01;        // of each capacity search
  int jobs = 1;
  int seeds = 3;                  // seeds the best's max load is measured at
  bool allow_large = false;
  std::function<void(const std::string&)> step;  // one line per capacity search; may be empty
  std::string csv_prefix;  // put before each CSV row (a fleet's "stage,model,kind,")
};

// The best configuration's max load at other seeds (the run's own sampling noise, which the tune's
// shared random numbers leave out of its comparisons) and the confidence interval from it and the
// configuration's own uncertainty.
struct SeedSpread {
  std::vector<std::uint64_t> seeds;
  std::vector<double> max_qps;
  int evaluations = 0;
  double rel_sd = 0;  // sample standard deviation over the mean (0 with one seed)
  std::pair<double, double> ci95(const TunePoint& best) const;
};

struct TuneReport {
  TuneResult result;
  SeedSpread spread;
  std::string csv;  // every simulation: configuration, rate, percentile, verdict (rows of tune_csv_header())
  double wall_seconds = 0;
  int jobs = 1;
};

// The best configuration's max load at `seeds` seeds, the scenario's first (`max_qps`, measured
// already) and the next ones, each by a capacity search starting there; `step` (may be empty) gets
// a line per seed beginning with `what`.
SeedSpread measure_at_seeds(const Scenario& configured, double max_qps, int seeds, const CapacityOptions& c,
                            const RateEvaluator& evaluator, const std::function<void(const std::string&)>& step,
                            const std::string& what);

// The CSV of every simulation: the header, and the rows of one capacity search (`prefix` first,
// then the configuration's batch size and threshold, empty where there is none).
std::string tune_csv_header();
std::string tune_csv_rows(const std::string& prefix, const std::optional<TuneConfig>& config, const CapacityResult& r);

// One configuration of the search in the tuning JSON.
nlohmann::ordered_json tune_point_json(const TunePoint& p);

// The search's options for this scenario, every check done before any work (format, trace rate,
// thresholds only with GPUs, the costliest configuration within the resource limits). Throws
// InputError; `scenario_file` names the scenario in errors.
// A format-1 scenario only (a fleet: sim/search/fleet_tuning.h).
TuneOptions prepare_tune(const Scenario& scenario, const TuneRequest& request, const std::string& scenario_file);

TuneReport run_tune(const Scenario& scenario, const TuneOptions& options, const TuneRequest& request);

// Whether the best beats the static baseline beyond noise: the two differ by more than 1.96
// standard errors (TuneResult::indistinguishable's rule), or the baseline meets the SLA at no rate
// while the best's 95% interval stays above zero (splitting is what meets it at all).
bool gain_beyond_noise(const TuneResult& r, const SeedSpread& spread);

// The tuning JSON of `recsim tune --out` (without its provenance).
nlohmann::ordered_json tune_report_json(const Scenario& scenario, const TuneReport& report);

// "batch B[, gpu threshold T]".
std::string tune_config_text(const TuneConfig& c);

}  // namespace recsim
