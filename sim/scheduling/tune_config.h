#pragma once
// A point of DeepRecSched's search space: the per-core batch size b and the GPU offload threshold t
// (none: nothing is offloaded), and the default ladder both are climbed over. Shared by the offline
// search (sim/search/hill_climber.h) and the online policy (sim/scheduling/online_hill_climber.h).
#include <optional>
#include <vector>

namespace recsim {

struct TuneConfig {
  int batch_size = 1;
  std::optional<int> gpu_threshold;  // none: no offload
  bool operator==(const TuneConfig&) const = default;
};

// The default ladder: 1, 2, 3, 4, 6, 8, ..., 768, 1024 (powers of two and their midpoints).
std::vector<int> default_tune_ladder();

}  // namespace recsim
