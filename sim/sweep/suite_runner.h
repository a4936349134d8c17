#pragma once
// The regression suite's runner (`recsim check SUITE_DIR`, docs/regression-suite.md; the checks
// themselves are sim/sweep/regression_suite.h). Every scenario SUITE_DIR/*.json, unchanged since
// recorded (its and its inputs' hashes), runs twice at its seed (or its seed + N) as child
// processes, in parallel: the two results must be byte-identical (the fingerprint check), and each
// metric must lie within its tolerance of SUITE_DIR/expected/NAME.json. With `update` it records
// the expected results instead (the seed and `seeds` other seeds, for the tolerances) and says
// what moved.
#include "sim/sweep/command_validator.h"
#include "sim/sweep/regression_suite.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace recsim {

struct SuiteOptions {
  int jobs = 1;
  bool update = false;
  int seeds = 32;             // with update: other seeds run beside the scenario's
  double false_fail = 0.001;  // with update: the chance a whole suite run fails by chance
  std::uint64_t reseed = 0;   // run every scenario at its seed + reseed instead
  CommandValidator validate;  // checks each `run SCENARIO` before any run
  CommandRunner in_process;   // runs each in a forked child; empty: the executable again
  std::function<void(std::size_t finished, std::size_t total)> progress;  // may be empty
};

struct SuiteCase {
  std::string name;      // NAME of NAME.json
  std::string scenario;  // SUITE_DIR/NAME.json
  std::string expected;  // SUITE_DIR/expected/NAME.json
  std::uint64_t seed = 0;
  double sla_target_ms = 0;
  nlohmann::ordered_json inputs;  // suite_inputs()
  nlohmann::json expected_results;  // read (not with update)
};

// Everything checked before any run: the suite's files, each scenario as `recsim run` would, each
// expected file's shape and inputs. Throws InputError.
std::vector<SuiteCase> prepare_suite(const std::string& suite, const SuiteOptions& options);

struct SuiteCaseResult {
  std::string name;
  std::string verdict;  // "pass", "fail", "error" (a run failed), "recorded", "not recorded" (two runs differ)
  std::string error;    // the failed run's exit and last line
  bool identical = false;  // the two runs at the seed gave byte-identical results
  double worst_in_tolerances = 0;
  std::vector<MetricCheck> metrics;  // checked
  std::size_t recorded_metrics = 0;  // with update
  std::string moved;  // with update: each metric whose expected value changed, one line each ("(new)" for a new file)
};

struct SuiteReport {
  std::string suite;
  bool update = false;
  std::vector<SuiteCaseResult> cases;
  std::size_t runs = 0;
  double wall_seconds = 0;
  int jobs = 1;
  int failures = 0;
};

// Throws std::runtime_error when, recording, a run at another seed fails.
SuiteReport run_suite(const std::string& suite, std::vector<SuiteCase> cases, const SuiteOptions& options);

// A metric's value as the report prints it (%.6g for numbers; "null").
std::string metric_number_text(const nlohmann::json& value);

// `recsim check --out`'s document.
nlohmann::ordered_json suite_report_json(const SuiteReport& report);

}  // namespace recsim
