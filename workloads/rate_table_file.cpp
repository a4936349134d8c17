#include "workloads/rate_table_file.h"

#include "workloads/csv_fields.h"
#include "workloads/input_error.h"

#include <cmath>
#include <fstream>

namespace recsim {

std::vector<std::pair<double, double>> read_rate_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the rate table file");
  std::vector<std::pair<double, double>> table;
  std::string line;
  int number = 0;
  bool first_data_line = true;
  double area = 0.0;
  while (std::getline(in, line)) {
    ++number;
    csv::strip_bom(line, number);
    const auto f = csv::fields(line);
    if (f.empty()) continue;
    const std::string where = path + ":" + std::to_string(number);
    double t = 0.0, rate = 0.0;
    if (f.size() != 2 || !csv::parse_double(f[0], t) || !csv::parse_double(f[1], rate)) {
      if (first_data_line && f.size() == 2 && csv::is_header(f)) {  // a header such as "t_s,rate"
        first_data_line = false;
        continue;
      }
      throw InputError(where, "expected a line \"t_s,relative_rate\" (two numbers)");
    }
    first_data_line = false;
    if (!std::isfinite(t) || t < 0.0 || t > 1e9) throw InputError(where, "the time must be a number of seconds in [0, 1e9]");
    if (table.empty() && t != 0.0) throw InputError(where, "the first time must be 0");
    if (!table.empty() && !(t > table.back().first)) throw InputError(where, "times must increase strictly from line to line");
    if (!std::isfinite(rate) || rate < 0.0 || rate > 1e12) throw InputError(where, "the rate must be a number in [0, 1e12]");
    if (!table.empty()) area += 0.5 * (table.back().second + rate) * (t - table.back().first);
    table.emplace_back(t, rate);
  }
  if (table.size() < 2) throw InputError(path, "the rate table needs at least two rows (from time 0 to the period)");
  if (table.back().first < 1e-3) throw InputError(path, "the rate table's period (its last time) must be at least 0.001 s");
  if (!(area > 0.0)) throw InputError(path, "the rate table's rates are all 0");
  return table;
}

}  // namespace recsim
