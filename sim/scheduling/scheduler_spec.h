#pragma once
// A server-level scheduling policy as a scenario configures it for one (model, server kind): the
// policy's name (sim/scheduling/scheduler_policy.h), its batch size and offload threshold, the
// online policy's climb, and the model's deployment on each server (instances, intra-op threads).
#include <string>
#include <vector>

namespace recsim {

// The deeprecsched-online policy's climb (sim/scheduling/online_hill_climber.h).
struct OnlineSpec {
  std::vector<int> batches;     // increasing
  std::vector<int> thresholds;  // increasing; empty: no offload phase
  double min_qps = 0.0, max_qps = 0.0;  // the arrival-rate controller's range
  int gap_steps = 50;
  int update_queries = 64;
  int updates = 128;
  int median_of = 50;
  double headroom = 0.10;
};

struct SchedulerSpec {
  // A server-level policy's name (sim/scheduling/scheduler_policy.h: static, cpu-only,
  // deeprecsched, gpu-only, deeprecsched-online).
  std::string policy = "static";
  int batch_size = 1;
  int gpu_threshold = 0;  // deeprecsched
  OnlineSpec online;      // deeprecsched-online
  // How the model's CPU requests are served on each server (sim/engine/server.h, ModelDeployment):
  // 0 instances: on the cores the server's models share, one request per core; else on this many
  // workers of its own, each running one request at a time on `intra_op_threads` cores of its own.
  int instances = 0;
  int intra_op_threads = 1;
};

}  // namespace recsim
