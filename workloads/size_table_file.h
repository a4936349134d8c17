#pragma once
// The empirical query-size table file: CSV lines "size,weight" (an optional header line, '#'
// comments). Sizes are integers >= 1, each listed once; weights are >= 0 with a positive total.
#include <string>
#include <utility>
#include <vector>

namespace recsim {

// Throws InputError naming "file:line" on any malformed line.
std::vector<std::pair<int, double>> read_size_table(const std::string& path);

}  // namespace recsim
