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

const KeyDecl& batch_size_key() {
  static const KeyDecl k{.type = KeyDecl::Type::integer, .name = "batch_size", .lo = 1, .hi = kMaxQuerySize, .unit = "items",
                         .help = "the per-core batch size; with batch_size >= the largest query size there is no splitting (DeepRecSys's baseline)"};
  return k;
}

const KeyDecl& gpu_threshold_key() {
  static const KeyDecl k{.type = KeyDecl::Type::integer, .name = "gpu_threshold", .lo = 1, .hi = kMaxQuerySize, .unit = "items",
                         .help = "queries of at least this size are offloaded (1: every query)"};
  return k;
}

const KeyDecl& online_key() {
  static const KeyDecl k{.type = KeyDecl::Type::object, .name = "online", .required = false, .help = "the online climb (sim/scheduling/online_hill_climber.h): for each configuration an arrival-rate controller finds the load under the SLA; the batch size is climbed from the smallest value of its ladder upward while that load strictly improves, then the threshold the same way; the queues drain between configurations; the best configuration then serves the rest of the run at `workload.arrival.qps`, and only queries arriving after both the warm-up and the climb are measured",
                         .when = "see its keys", .section = "online"};
  return k;
}

const std::vector<KeyDecl>& deployment_keys() {
  static const std::vector<KeyDecl> keys = {
      {.type = KeyDecl::Type::integer, .name = "instances", .required = false, .lo = 1, .hi = 4096, .unit = "workers",
       .help = "the model's own workers on each server of the kind, each with `intra_op_threads` cores of its own and one request at a time, behind one FIFO queue of the model's (as Triton's instance groups or TorchServe's workers, pinned); the other models do not use those cores",
       .when = "absent: the model's requests share the server's cores not given to instances, one request per core, in one FIFO queue with the other models sharing them",
       .also = "the instances of the models placed on a group need instances × intra_op_threads cores in all, at most the kind's `cpu_cores`, and at least one core left where a model shares them"},
      {.type = KeyDecl::Type::integer, .name = "intra_op_threads", .required = false, .lo = 1, .hi = 4096, .fallback = 1, .unit = "threads",
       .help = "cores each request of the model runs on together (oneDNN's intra-op threads): a request takes the profile's curve measured with that many threads (`intra_op_threads` in docs/calibration.md), scaled by the model's other factors (contention, after idle, cold sizes, run spread) as measured with one",
       .also = "above 1: needs `instances`, and a `model` service whose CPU profile measured this many threads for the model"}};
  return keys;
}

void parse_deployment(JsonReader& scheduler, SchedulerSpec& spec) {
  const auto& keys = deployment_keys();
  if (scheduler.has("instances")) spec.instances = static_cast<int>(read_integer(scheduler, keys[0]));
  spec.intra_op_threads = static_cast<int>(read_integer(scheduler, keys[1]));
  if (spec.intra_op_threads > 1 && spec.instances == 0)
    throw InputError(scheduler.child_path("intra_op_threads"), "needs `instances`: how many workers of " + std::to_string(spec.intra_op_threads) +
                                                                   " cores each serve the model on each server");
}

std::vector<KeyVariant> scheduler_variants() {
  std::vector<KeyVariant> out;
  for (const auto& p : scheduler_policies()) out.push_back({p.name, p.description, p.keys, {}});
  return out;
}

void parse_cpu_batch(JsonReader& scheduler, SchedulerSpec& spec) {
  spec.batch_size = static_cast<int>(read_integer(scheduler, batch_size_key()));
  if (scheduler.has("gpu_threshold"))
    throw InputError(scheduler.child_path("gpu_threshold"), "only the \"deeprecsched\" policy has a GPU threshold");
  if (scheduler.has("online"))
    throw InputError(scheduler.child_path("online"), "only the \"deeprecsched-online\" policy climbs online");
}

}  // namespace recsim
