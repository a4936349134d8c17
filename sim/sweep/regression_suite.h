#pragma once
// The regression suite (`recsim check SUITE_DIR`, docs/regression-suite.md): each scenario of the
// directory with its expected results (SUITE_DIR/expected/NAME.json): per metric the value at the
// scenario's seed and a tolerance of 4 standard deviations of its seed-to-seed variation, measured
// over other seeds when the file was recorded (`--update`). A metric passes when
// |actual - expected| <= tolerance; a boolean must equal its recorded value unless it varied
// between seeds (then it is not checked, and said so).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace recsim {

// The dotted results paths the suite checks, where a scenario's results have them.
const std::vector<std::string>& suite_metric_paths();

// The value at a dotted path of a results JSON, or null.
nlohmann::json metric_at(const nlohmann::json& results, const std::string& dotted);

// The expected-results document from the result at the scenario's seed and the results at the
// other seeds (at least two).
nlohmann::ordered_json record_expected(const std::string& scenario_file, const nlohmann::json& at_seed,
                                       const std::vector<nlohmann::json>& other_seeds, const nlohmann::ordered_json& recorded_with);

struct MetricCheck {
  std::string metric;
  nlohmann::json expected, actual;
  std::optional<double> deviation;  // actual - expected, for numbers
  std::optional<double> tolerance;
  bool checked = true;  // false: a boolean that varies between seeds
  bool pass = true;
  std::string note;
};

// Compares a results JSON with an expected-results document. Throws InputError naming `where`
// when the document is malformed.
std::vector<MetricCheck> check_against(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& where);

}  // namespace recsim
