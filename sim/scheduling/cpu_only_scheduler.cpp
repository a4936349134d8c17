// cpu-only: the same as static, named for scenarios that compare against GPU policies.
#include "sim/scheduling/scheduler_policy.h"

namespace recsim {

SchedulerPolicy cpu_only_scheduler() {
  return {"cpu-only", "the same as static: the CPU cores only, whatever GPUs the server has", false, false,
          parse_cpu_batch,
          [](const SchedulerSpec& spec, const TuneConfig&, int) { return QueryPlan{false, spec.batch_size}; }};
}

}  // namespace recsim
