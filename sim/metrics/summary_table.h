#pragma once
// The human-readable summary of a run, printed on stdout by `recsim run`.
#include "sim/metrics/run_results.h"

#include <string>

namespace recsim {

std::string format_summary(const RunResults& results);

}  // namespace recsim
