// The registry of server-level scheduling policies: one line per policy.
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

#include <stdexcept>

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

std::vector<std::string> scheduler_names() {
  std::vector<std::string> names;
  for (const auto& p : scheduler_policies()) names.push_back(p.name);
  return names;
}

const SchedulerPolicy& scheduler_policy(const std::string& name) {
  for (const auto& p : scheduler_policies())
    if (p.name == name) return p;
  throw std::out_of_range("no scheduling policy \"" + name + "\"");
}

void parse_cpu_batch(JsonReader& scheduler, SchedulerSpec& spec) {
  spec.batch_size = static_cast<int>(scheduler.integer("batch_size", 1, kMaxQuerySize));
  if (scheduler.has("gpu_threshold"))
    throw InputError(scheduler.child_path("gpu_threshold"), "only the \"deeprecsched\" policy has a GPU threshold");
  if (scheduler.has("online"))
    throw InputError(scheduler.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
}

}  // namespace recsim
