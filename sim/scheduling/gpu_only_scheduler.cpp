// gpu-only: every query whole to a GPU of its server (its batch size is unused unless given).
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

namespace recsim {

namespace {

// Optional here, and unused unless given.
KeyDecl optional_batch_size() {
  KeyDecl k = batch_size_key();
  k.required = false;
  k.fallback = kMaxQuerySize;
  k.help = "unused: every query runs whole on a GPU";
  return k;
}

}  // namespace

SchedulerPolicy gpu_only_scheduler() {
  return {"gpu-only", "every query goes whole to a GPU; needs GPUs and `service.gpu_profile`", true, false,
          [](JsonReader& s, SchedulerSpec& spec) {
            spec.batch_size = static_cast<int>(read_integer(s, optional_batch_size()));
            if (s.has("gpu_threshold"))
              throw InputError(s.child_path("gpu_threshold"), "only the \"deeprecsched\" policy has a GPU threshold");
            if (s.has("online")) throw InputError(s.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
          },
          [](const SchedulerSpec& spec, const TuneConfig&, int) { return QueryPlan{true, spec.batch_size}; },
          {optional_batch_size()}};
}

}  // namespace recsim
