#pragma once
// A rate table file (the diurnal process's `file`): CSV lines "t_s,relative_rate" (an optional
// header line, '#' comments): times from 0, strictly increasing; rates finite and >= 0 with a
// positive mean. The last time is the curve's period (at least 0.001 s).
#include <string>
#include <utility>
#include <vector>

namespace recsim {

// Throws InputError naming "file:line" on any malformed line.
std::vector<std::pair<double, double>> read_rate_table(const std::string& path);

}  // namespace recsim
