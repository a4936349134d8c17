#pragma once
// The "datacenter" section of the results JSON (format-2 scenarios; docs/results-format.md) and its
// reading back (isolated runs hand their results to the parent as JSON).
#include "sim/metrics/run_results.h"

#include <nlohmann/json.hpp>

namespace recsim {

nlohmann::ordered_json latency_summary_to_json(const LatencySummary& s);
LatencySummary latency_summary_from_json(const nlohmann::json& j);
nlohmann::ordered_json datacenter_to_json(const DatacenterResults& d);
DatacenterResults datacenter_from_json(const nlohmann::json& j);

}  // namespace recsim
