#pragma once
// Rows of flat JSON objects (the same keys in the same order) as CSV: a header of the first row's
// keys, then one line per row; null is an empty cell, strings as they are, other values as JSON,
// and a cell holding a comma, a quote or a line break quoted (RFC 4180). The sweep's table and the
// run's time series are written with it.
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace recsim {

std::string table_csv(const std::vector<nlohmann::ordered_json>& table);

}  // namespace recsim
