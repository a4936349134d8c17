#pragma once
// Warnings for CPU profiles used on server shapes they were not measured for (docs/calibration.md,
// "Contention"): a server with more cores than the calibration ran busy at once gets the
// contention of that many busy cores extrapolated, not measured. One line per (profile, cores).
#include "sim/scenario/scenario.h"

#include <string>
#include <vector>

namespace recsim {

std::vector<std::string> profile_shape_warnings(const Scenario& scenario);

// Prints each on stderr as "recsim: note: ..." (the commands call it after their answer, unless
// --quiet: the results are unchanged by it).
void print_profile_shape_warnings(const Scenario& scenario);

}  // namespace recsim
