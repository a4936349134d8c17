#pragma once
// The "time_series" section of the results JSON (docs/results-format.md, "Time series"), its
// reading back (isolated runs hand their results to the parent as JSON), and its CSV form (one line
// per window, flattened: `recsim run --series FILE`).
#include "sim/metrics/time_series_report.h"

#include <nlohmann/json.hpp>

#include <string>

namespace recsim {

nlohmann::ordered_json time_series_to_json(const TimeSeriesReport& r);
TimeSeriesReport time_series_from_json(const nlohmann::json& j);
// Columns: a window's JSON keys, nested ones dotted (`latency_ms.p95`, `sla.met`) and groups and
// models by name (`groups.NAME.cpu_utilization`, `models.NAME.observed_ms`); an empty cell where
// the JSON has null.
std::string time_series_csv(const TimeSeriesReport& r);

}  // namespace recsim
