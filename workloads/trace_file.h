#pragma once
// A query trace file: CSV lines "arrival_ms,size" (an optional header line, '#' comments), where
// arrival_ms is the query's arrival time in milliseconds from the start of the run (non-decreasing)
// and size is the number of items it ranks (an integer >= 1). The reader streams the file, so a
// trace of any length replays in bounded memory.
#include <cstdint>
#include <fstream>
#include <string>

namespace recsim {

class TraceReader {
 public:
  explicit TraceReader(std::string path);
  // Next row; false at the end of the file. Throws InputError naming "file:line" on a bad row.
  bool next(double& arrival_seconds, int& size);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ifstream in_;
  std::string line_;
  int line_number_ = 0;
  bool seen_data_ = false;
  double last_ms_ = 0.0;
};

// Reads the whole trace once, checking every row; returns the number of queries in it (and, when
// asked, the largest query size).
std::uint64_t validate_trace(const std::string& path, int* largest_size = nullptr, double* mean_size = nullptr,
                             double* last_arrival_s = nullptr);

}  // namespace recsim
