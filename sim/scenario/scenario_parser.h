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

}  // namespace recsim
