#pragma once
// `--set PATH=VALUE` overrides, applied to the scenario JSON before validation. PATH is dotted,
// array elements by index ("platform.servers.0.cpu_cores"); VALUE is parsed as JSON when it parses,
// else taken as a string. Missing objects along the path are created (validation then rejects keys
// that do not belong); descending into a scalar or past the end of an array is an error.
#include <nlohmann/json.hpp>

#include <string>

namespace recsim {

// Throws InputError naming "--set ASSIGNMENT" when the assignment is malformed or its path invalid.
void apply_override(nlohmann::json& scenario, const std::string& assignment);

}  // namespace recsim
