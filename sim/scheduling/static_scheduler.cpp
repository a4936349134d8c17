// static: every query split over the CPU cores in requests of at most batch_size items
// (DeepRecSys's baseline with batch_size >= the largest query: no splitting).
#include "sim/scheduling/scheduler_policy.h"

namespace recsim {

SchedulerPolicy static_scheduler() {
  return {"static", "a query of size s becomes ceil(s / batch_size) requests of at most batch_size items, queued at one server and served by its cores in parallel; the query completes with its last request", false, false,
          parse_cpu_batch,
          [](const SchedulerSpec& spec, const TuneConfig&, int) { return QueryPlan{false, spec.batch_size}; },
          {batch_size_key()}};
}

}  // namespace recsim
