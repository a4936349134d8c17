// cpu-only: the same as static, named for scenarios that compare against GPU policies.
#include "sim/scheduling/scheduler_policy.h"

namespace recsim {

SchedulerPolicy cpu_only_scheduler() {
  return {"cpu-only", "the same routing as `static`, named for GPU comparisons (GPUs stay idle)", false, false,
          parse_cpu_batch,
          [](const SchedulerSpec& spec, const TuneConfig&, int) { return QueryPlan{false, spec.batch_size}; },
          {batch_size_key()}};
}

}  // namespace recsim
