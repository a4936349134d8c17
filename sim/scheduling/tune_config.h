#pragma once
// A point of DeepRecSched's search space: the per-core batch size b and the GPU offload threshold t
// (none: nothing is offloaded). Shared by the offline search (sim/search/hill_climber.h) and the
// online policy (sim/scheduling/online_hill_climber.h); both climb kernels/profiles/batch_ladder.h's
// default ladder unless told otherwise.
#include "kernels/profiles/batch_ladder.h"

#include <optional>

namespace recsim {

struct TuneConfig {
  int batch_size = 1;
  std::optional<int> gpu_threshold;  // none: no offload
  bool operator==(const TuneConfig&) const = default;
};

}  // namespace recsim
