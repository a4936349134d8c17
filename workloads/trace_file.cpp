#include "workloads/trace_file.h"

#include <algorithm>

#include "workloads/csv_fields.h"
#include "workloads/input_error.h"

#include <cmath>

namespace recsim {

TraceReader::TraceReader(std::string path) : path_(std::move(path)), in_(path_) {
  if (!in_) throw InputError(path_, "cannot open the trace file");
}

bool TraceReader::next(double& arrival_seconds, int& size) {
  while (std::getline(in_, line_)) {
    ++line_number_;
    csv::strip_bom(line_, line_number_);
    const auto f = csv::fields(line_);
    if (f.empty()) continue;
    const std::string where = path_ + ":" + std::to_string(line_number_);
    double ms = 0.0;
    long long items = 0;
    if (f.size() != 2 || !csv::parse_double(f[0], ms) || !csv::parse_int(f[1], items)) {
      if (!seen_data_ && f.size() == 2 && csv::is_header(f)) {  // a header such as "arrival_ms,size"
        seen_data_ = true;
        continue;
      }
      throw InputError(where, "expected a line \"arrival_ms,size\" (a number and an integer)");
    }
    seen_data_ = true;
    if (!std::isfinite(ms) || ms < 0.0) throw InputError(where, "arrival_ms must be a finite number >= 0");
    if (ms < last_ms_) throw InputError(where, "arrival_ms must not decrease (the trace must be in time order)");
    if (items < 1 || items > 1'000'000'000) throw InputError(where, "size must be an integer in [1, 1e9]");
    last_ms_ = ms;
    arrival_seconds = ms / 1000.0;
    size = static_cast<int>(items);
    return true;
  }
  return false;
}

std::uint64_t validate_trace(const std::string& path, int* largest_size, double* mean_size, double* last_arrival_s) {
  TraceReader reader(path);
  std::uint64_t rows = 0;
  double t = 0.0, items = 0.0;
  int size = 0, largest = 0;
  while (reader.next(t, size)) {
    ++rows;
    largest = std::max(largest, size);
    items += size;
  }
  if (largest_size) *largest_size = largest;
  if (mean_size) *mean_size = rows ? items / static_cast<double>(rows) : 0.0;
  if (last_arrival_s) *last_arrival_s = t;
  if (rows == 0) throw InputError(path, "the trace has no rows");
  return rows;
}

}  // namespace recsim
