#pragma once
// The regression suite (`recsim check SUITE_DIR`, docs/regression-suite.md): each scenario of the
// directory with its expected results (SUITE_DIR/expected/NAME.json): per metric its mean over the
// seeds run when the file was recorded (`--update`) and a tolerance that one run at any other seed
// exceeds with a chosen small probability (a Student's t prediction interval), so that a whole
// suite run fails by chance at most at the suite's chosen rate; the SHA-256 of the scenario and of
// every file it reads, so that a changed scenario or input is caught before any run. A metric
// passes when |actual - expected| <= tolerance; a boolean must equal its recorded value unless it
// could vary between seeds (then it is not checked, and said so).
#include "sim/scenario/scenario.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace recsim {

// A percentile is checked only where at least this many measured queries lie above it.
inline constexpr double kMinQueriesAbovePercentile = 200;

// The dotted results paths the suite checks, where a scenario's results have them.
const std::vector<std::string>& suite_metric_paths();

// The value at a dotted path of a results JSON, or null.
nlohmann::json metric_at(const nlohmann::json& results, const std::string& dotted);

// The multiple of a metric's seed-to-seed standard deviation (estimated from `seeds` runs) that one
// new run at another seed exceeds, from the runs' mean, with probability `per_metric_false_fail`:
// Student's t prediction interval.
double prediction_factor(int seeds, double per_metric_false_fail);

// The expected-results document from runs at the scenario's seed and other seeds (the seed's first;
// at least three): per number its mean and a tolerance of prediction_factor x its sample sd; per
// boolean its value, unchecked if it varied (or, sla.met, if the target lies in sla.observed_ms's
// band). `inputs`: suite_inputs() of the scenario.
nlohmann::ordered_json record_expected(const std::string& scenario_file, const std::vector<nlohmann::json>& runs,
                                       double per_metric_false_fail, const nlohmann::ordered_json& inputs,
                                       const nlohmann::ordered_json& recorded_with, double sla_target_ms);

// What the scenario's results depend on besides the code: the SHA-256 of the scenario as simulated
// (provenance's scenario_sha256) and of every file it reads, by path relative to the suite.
nlohmann::ordered_json suite_inputs(const Scenario& scenario, const std::string& suite_dir);
// Empty when `now` equals `recorded`, else what differs, in words.
std::string inputs_difference(const nlohmann::json& recorded, const nlohmann::json& now);

// A number's deviation from its expected value in tolerances (signed; |x| <= 1 passes): the
// difference of logs over the tolerance for "scale": "log", else the difference over it.
double deviation_in_tolerances(const nlohmann::json& spec, double actual);
// The values a number may take: [expected - tol, expected + tol], or [expected e^-tol, expected e^tol] on the log scale.
std::pair<double, double> allowed_range(const nlohmann::json& spec);

struct MetricCheck {
  std::string metric;
  nlohmann::json expected, actual;
  std::optional<double> deviation;  // actual - expected, for numbers
  std::optional<double> tolerance;  // in the metric's scale (a log difference for "scale": "log")
  std::optional<std::pair<double, double>> band;  // the values allowed
  std::optional<double> in_tolerances;  // the deviation in tolerances (signed, in the metric's scale)
  std::optional<double> z;  // the deviation in prediction standard errors (where the file records t_quantile)
  bool checked = true;  // false: a boolean that varies between seeds
  bool pass = true;
  std::string note;
};

// Compares a results JSON with an expected-results document. Throws InputError naming `where`
// when the document is malformed.
std::vector<MetricCheck> check_against(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& where);

}  // namespace recsim
