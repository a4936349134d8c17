// The registry of server-level scheduling policies: one line per policy.
#include "sim/scheduling/scheduler_policy.h"

#include "sim/policy_registry.h"
#include "workloads/input_error.h"

namespace recsim {

const std::vector<SchedulerPolicy>& scheduler_policies() {
  static const std::vector<SchedulerPolicy> policies = {
      static_scheduler(),
      cpu_only_scheduler(),
      deeprecsched_scheduler(),
      gpu_only_scheduler(),
      deeprecsched_online_scheduler(),
  };
  return policies;
}

std::vector<std::string> scheduler_names() { return policy_names(scheduler_policies()); }

const SchedulerPolicy& scheduler_policy(const std::string& name) {
  return find_policy(scheduler_policies(), name, "scheduling policy");
}

void parse_cpu_batch(JsonReader& scheduler, SchedulerSpec& spec) {
  spec.batch_size = static_cast<int>(scheduler.integer("batch_size", 1, kMaxQuerySize));
  if (scheduler.has("gpu_threshold"))
    throw InputError(scheduler.child_path("gpu_threshold"), "only the \"deeprecsched\" policy has a GPU threshold");
  if (scheduler.has("online"))
    throw InputError(scheduler.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
}

}  // namespace recsim
