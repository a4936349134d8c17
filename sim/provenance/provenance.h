#pragma once
// Provenance: what every results file says about how it was made (docs/results-format.md,
// "provenance"): recsim's version and git commit, the command line, the SHA-256 of the final
// scenario (after --set and --seed) and of every file it read, and the host's CPU.
#include "sim/provenance/build_version.h"
#include "sim/scenario/scenario.h"

#include <nlohmann/json.hpp>

#include <string>

namespace recsim {

// SHA-256 of the scenario as simulated: its final document with the seed actually used.
std::string scenario_sha256(const Scenario& scenario);

// The "provenance" object. Throws std::runtime_error if an input file can no longer be read.
nlohmann::ordered_json provenance_json(const Scenario& scenario);

}  // namespace recsim
