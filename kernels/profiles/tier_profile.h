#pragma once
// A tier profile (`recsim calibrate --tiers`, docs/calibration.md): for each lower tier of the
// parameter server and each vector dimension, the measured time of one batched lookup against the
// number of keys, as a LatencyCurve, and of one batched write (`write_dims`, optional) (linear between measured batch sizes, the last segment's slope
// beyond). This is the interface the simulator reads tier times through
// (sim/engine/lower_tiers.h).
#include "kernels/profiles/latency_curve.h"

#include <map>
#include <string>

namespace recsim {

struct TierProfile {
  std::string source;                                         // "measured"
  std::map<std::string, std::string> components;              // tier -> what was measured
  std::map<std::string, std::map<int, LatencyCurve>> curves;  // tier -> dim -> median lookup time
  std::map<std::string, std::map<int, LatencyCurve>> write_curves;  // tier -> dim -> median write time (optional)

  // The curve of `tier` at `dim`; throws std::out_of_range naming what is missing.
  const LatencyCurve& curve(const std::string& tier, int dim) const;
  // The write curve of `tier` at `dim` (profiles made before writes were timed have none).
  const LatencyCurve& write_curve(const std::string& tier, int dim) const;
};

// Reads and validates a tier profile; errors are InputError naming "file: json.path".
TierProfile load_tier_profile(const std::string& path);

}  // namespace recsim
