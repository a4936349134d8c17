#pragma once
// Autoscaling of server groups (the scenario's `autoscaling`, docs/time.md): every `interval_s` a
// policy of the registry (sim/scaling/scaling_registry.h) decides, per scaled group, how many of
// its servers should be active; the engine's Autoscaler (sim/engine/autoscaler.h) boots servers
// (`startup_s` powered and idle before they serve) or drains them (no new queries; powered off
// once their own are done), within each group's bounds.
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace recsim {

// What a policy sees of one group at a decision.
struct ScalingInput {
  double now = 0.0;
  int current = 0;  // servers active or booting, not faulted
  int min = 0, max = 0;
  // The work placed on the group over the last interval, in servers' worth: CPU core-seconds /
  // (cores per server x interval), or for a GPU group the larger of that and its GPUs' kernel
  // seconds / (GPUs per server x interval). A policy divides it by its target utilisation.
  double demand = 0.0;
};

// One group's policy, with its own memory (e.g. recent decisions).
class ScalingRule {
 public:
  virtual ~ScalingRule() = default;
  // The servers the group should have active now (the autoscaler clamps it to [min, max]).
  virtual int desired(const ScalingInput& in) = 0;
};

struct ScaledGroup {
  int group = 0;
  int min = 1, max = 1, initial = 1;
};

struct AutoscalingSpec {
  std::string policy;
  double interval_s = 60.0;
  double startup_s = 120.0;
  std::vector<ScaledGroup> groups;
  // The policy's rule for one scaled group.
  std::function<std::unique_ptr<ScalingRule>(const ScaledGroup&)> make;
};

}  // namespace recsim
