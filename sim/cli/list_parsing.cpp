#include "sim/cli/list_parsing.h"

#include "sim/cli/flag_checks.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace recsim {

std::vector<std::string> split_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const auto comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) throw InputError(flag, "expected a comma-separated list without empty items, got \"" + text + "\"");
    out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::vector<int> parse_int_list(const std::string& flag, const std::string& text, int lo, int hi) {
  std::vector<int> out;
  for (const auto& item : split_list(flag, text)) {
    int v = 0;
    const auto [ptr, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || ptr != item.data() + item.size() || v < lo || v > hi)
      throw InputError(flag, "expected integers in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got \"" +
                                 item + "\"");
    out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) throw InputError(flag, "lists a value twice");
  return out;
}

std::vector<double> parse_open_interval_list(const std::string& flag, const std::string& text, double lo, double hi) {
  std::vector<double> out;
  for (const auto& item : split_list(flag, text)) {
    double v = 0;
    if (!read_decimal(item, v) || !(v > lo) || !(v < hi)) {
      char range[64];
      std::snprintf(range, sizeof range, "(%g, %g)", lo, hi);
      throw InputError(flag, "expected decimal numbers in " + std::string(range) + ", got \"" + printable(item, 60) + "\"");
    }
    out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end()) throw InputError(flag, "lists a value twice");
  return out;
}

}  // namespace recsim
