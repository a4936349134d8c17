#include "workloads/size_table_file.h"

#include "workloads/csv_fields.h"
#include "workloads/input_error.h"

#include <cmath>
#include <fstream>
#include <set>

namespace recsim {

std::vector<std::pair<int, double>> read_size_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the size table file");
  std::vector<std::pair<int, double>> table;
  std::set<int> seen;
  double total = 0.0;
  std::string line;
  int number = 0;
  bool first_data_line = true;
  while (std::getline(in, line)) {
    ++number;
    csv::strip_bom(line, number);
    const auto f = csv::fields(line);
    if (f.empty()) continue;
    const std::string where = path + ":" + std::to_string(number);
    long long size = 0;
    double weight = 0.0;
    if (f.size() != 2 || !csv::parse_int(f[0], size) || !csv::parse_double(f[1], weight)) {
      if (first_data_line && f.size() == 2 && csv::is_header(f)) {  // a header such as "size,weight"
        first_data_line = false;
        continue;
      }
      throw InputError(where, "expected a line \"size,weight\" (an integer size and a number)");
    }
    first_data_line = false;
    if (size < 1 || size > 1'000'000'000) throw InputError(where, "size must be an integer in [1, 1e9]");
    if (!std::isfinite(weight) || weight < 0.0) throw InputError(where, "weight must be a finite number >= 0");
    if (!seen.insert(static_cast<int>(size)).second)
      throw InputError(where, "size " + std::to_string(size) + " is listed twice");
    table.emplace_back(static_cast<int>(size), weight);
    total += weight;
  }
  if (table.empty()) throw InputError(path, "the size table has no rows");
  if (!(total > 0.0)) throw InputError(path, "the size table's weights add up to 0");
  return table;
}

}  // namespace recsim
