#pragma once
// RunResults <-> the results JSON of `recsim run --out` (the contract's keys plus documented extras).
#include "sim/metrics/run_results.h"

#include <nlohmann/json.hpp>

namespace recsim {

nlohmann::ordered_json results_to_json(const RunResults& results);
RunResults results_from_json(const nlohmann::json& json);

}  // namespace recsim
