// The registry of autoscaling policies: one line per policy.
#include "sim/scaling/scaling_registry.h"

#include "sim/policy_registry.h"

namespace recsim {

const std::vector<ScalingKind>& scaling_kinds() {
  static const std::vector<ScalingKind> kinds = {
      target_utilization_scaling(),
      schedule_scaling(),
  };
  return kinds;
}

std::vector<std::string> scaling_names() { return policy_names(scaling_kinds()); }

const ScalingKind& scaling_kind(const std::string& name) { return find_policy(scaling_kinds(), name, "autoscaling policy"); }

}  // namespace recsim
