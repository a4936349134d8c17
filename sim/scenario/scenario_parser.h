#pragma once
// Scenario loading: read the file, apply --set overrides, validate every key (docs/scenario-format.md).
// Any problem throws InputError naming the JSON path (or file and line) and what was expected.
#include "sim/scenario/scenario.h"
#include "workloads/json_reader.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace recsim {

// Validates a scenario document. Relative file paths inside it are resolved against base_dir.
Scenario parse_scenario(const nlohmann::json& document, const std::string& base_dir);

// read_json_file + apply_override for each assignment + parse_scenario.
Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides);

// While one is alive, load_scenario(path, overrides) on this thread with exactly its path and
// overrides returns a copy of its scenario instead of reading and parsing again: a sweep validates
// each point's command with the scenario it has just loaded to key it (one parse per point, not two).
// The scenario must be load_scenario's own result for that path and those overrides.
class LoadedScenarioReuse {
 public:
  LoadedScenarioReuse(std::string path, std::vector<std::string> overrides, const Scenario& scenario);
  ~LoadedScenarioReuse();
  LoadedScenarioReuse(const LoadedScenarioReuse&) = delete;
  LoadedScenarioReuse& operator=(const LoadedScenarioReuse&) = delete;

  std::string path;
  std::vector<std::string> overrides;
  const Scenario& scenario;
  const LoadedScenarioReuse* outer;  // the one this hides
};

}  // namespace recsim
