// deeprecsched: DeepRecSched's fixed configuration — a query of at least gpu_threshold items runs
// whole on a GPU of its server; smaller ones are split over the CPU cores in requests of at most
// batch_size items.
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

namespace recsim {

SchedulerPolicy deeprecsched_scheduler() {
  return {"deeprecsched", "queries of at least gpu_threshold items whole to a GPU, smaller ones split over the cores", true,
          false,
          [](JsonReader& s, SchedulerSpec& spec) {
            spec.batch_size = static_cast<int>(s.integer("batch_size", 1, kMaxQuerySize));
            spec.gpu_threshold = static_cast<int>(s.integer("gpu_threshold", 1, kMaxQuerySize));
            if (s.has("online")) throw InputError(s.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
          },
          [](const SchedulerSpec& spec, const TuneConfig&, int size) {
            return QueryPlan{size >= spec.gpu_threshold, spec.batch_size};
          }};
}

}  // namespace recsim
