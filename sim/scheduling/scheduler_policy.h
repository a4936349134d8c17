#pragma once
// A server-level scheduling policy: how the server the balancer chose serves a query of N items —
// whole on one of its GPUs, or split into per-core requests of at most `batch_size` items. A policy
// is one file (sim/scheduling/*_scheduler.cpp) and one line in the registry (scheduler_registry.cpp);
// `scheduler.policy` names it, and the parser's allowed names are the registry's.
#include "sim/scheduling/scheduler_spec.h"
#include "sim/scheduling/tune_config.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <functional>
#include <string>
#include <vector>

namespace recsim {

struct QueryPlan {
  bool to_gpu = false;  // whole, on one of the server's GPUs
  int batch_size = 1;   // else split into requests of at most this many items
};

struct SchedulerPolicy {
  std::string name;
  std::string description;  // for docs and errors
  bool offloads = false;    // may send queries to GPUs: needs GPUs and a GPU profile
  bool online = false;      // batch size and threshold climbed during the run (OnlineHillClimber)
  // Reads the policy's own keys of a scheduler object (batch_size, gpu_threshold, online) into `spec`.
  std::function<void(JsonReader&, SchedulerSpec&)> parse;
  // The plan of a query of `size` items. `live`: the online climb's configuration in force (online
  // policies only; the others ignore it).
  QueryPlan (*plan)(const SchedulerSpec& spec, const TuneConfig& live, int size) = nullptr;
  std::vector<KeyDecl> keys;  // the policy's own keys of the scheduler object, read by `parse`
};

// Every policy, in the order the docs list them.
const std::vector<SchedulerPolicy>& scheduler_policies();
std::vector<std::string> scheduler_names();
// The policy of that name; throws std::out_of_range for an unknown one (the parser checks names).
const SchedulerPolicy& scheduler_policy(const std::string& name);

// The policies, one per file.
SchedulerPolicy static_scheduler();
SchedulerPolicy cpu_only_scheduler();
SchedulerPolicy deeprecsched_scheduler();
SchedulerPolicy gpu_only_scheduler();
SchedulerPolicy deeprecsched_online_scheduler();

// The largest query size any key accepts (1e9 items).
constexpr int kMaxQuerySize = 1'000'000'000;
// Reads scheduler.batch_size (required) and refuses the keys a fixed, CPU-only policy does not have.
void parse_cpu_batch(JsonReader& scheduler, SchedulerSpec& spec);
// The declarations of the keys policies share: batch_size (required), gpu_threshold, online.
const KeyDecl& batch_size_key();
const KeyDecl& gpu_threshold_key();
const KeyDecl& online_key();
// The keys every policy has: the model's deployment on each server (instances, intra_op_threads),
// read by parse_deployment.
const std::vector<KeyDecl>& deployment_keys();
// Reads scheduler.instances and scheduler.intra_op_threads into `spec`.
void parse_deployment(JsonReader& scheduler, SchedulerSpec& spec);
// The keys of scheduler.online (section "online"), read by the deeprecsched-online policy.
const KeySection& online_keys();
// The variants of a scheduler object, one per policy (for the docs and the JSON Schema).
std::vector<KeyVariant> scheduler_variants();

}  // namespace recsim
