// deeprecsched: DeepRecSched's fixed configuration — a query of at least gpu_threshold items runs
// whole on a GPU of its server; smaller ones are split over the CPU cores in requests of at most
// batch_size items.
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

namespace recsim {

SchedulerPolicy deeprecsched_scheduler() {
  return {"deeprecsched", "a query of size >= `gpu_threshold` goes whole to a GPU of the server the balancer chose (the one with the fewest queries queued or in progress; ties rotate; a server without GPUs splits it), smaller ones are split as by `static`; needs GPUs and `service.gpu_profile`", true,
          false,
          [](JsonReader& s, SchedulerSpec& spec) {
            spec.batch_size = static_cast<int>(read_integer(s, batch_size_key()));
            spec.gpu_threshold = static_cast<int>(read_integer(s, gpu_threshold_key()));
            if (s.has("online")) throw InputError(s.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
          },
          [](const SchedulerSpec& spec, const TuneConfig&, int size) {
            return QueryPlan{size >= spec.gpu_threshold, spec.batch_size};
          },
          {batch_size_key(), gpu_threshold_key()}};
}

}  // namespace recsim
