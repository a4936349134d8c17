// gpu-only: every query whole to a GPU of its server (its batch size is unused unless given).
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

namespace recsim {

SchedulerPolicy gpu_only_scheduler() {
  return {"gpu-only", "every query whole to a GPU", true, false,
          [](JsonReader& s, SchedulerSpec& spec) {
            spec.batch_size = static_cast<int>(s.integer_or("batch_size", kMaxQuerySize, 1, kMaxQuerySize));
            if (s.has("gpu_threshold"))
              throw InputError(s.child_path("gpu_threshold"), "only the \"deeprecsched\" policy has a GPU threshold");
            if (s.has("online")) throw InputError(s.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
          },
          [](const SchedulerSpec& spec, const TuneConfig&, int) { return QueryPlan{true, spec.batch_size}; }};
}

}  // namespace recsim
