#pragma once
// How many items a model's queries ask to rank (a model's query_size in docs/scenario-format.md):
// the distribution's parameters as read; sim/scenario/query_sizes.h builds the sampler.
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct QuerySizeSpec {
  enum class Distribution { fixed, normal, lognormal, empirical, trace } distribution = Distribution::fixed;
  int value = 1;                             // fixed
  double mean = 0.0, sd = 0.0;               // normal
  double mu = 0.0, sigma = 0.0;              // lognormal
  int max = 1;                               // normal, lognormal
  std::string table_file;                    // empirical: resolved path
  std::vector<std::pair<int, double>> table; // empirical: the rows read from table_file
  int trace_max = 0;                         // trace: the largest size in the arrival trace
  double trace_mean = 0.0;                   // trace: the mean size in the arrival trace

  // The largest query the workload can draw.
  int largest() const {
    switch (distribution) {
      case Distribution::fixed: return value;
      case Distribution::normal:
      case Distribution::lognormal: return max;
      case Distribution::empirical: {
        int m = 1;
        for (const auto& row : table) m = row.first > m ? row.first : m;
        return m;
      }
      case Distribution::trace: break;
    }
    return trace_max;
  }
};

}  // namespace recsim
