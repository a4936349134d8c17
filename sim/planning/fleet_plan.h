#pragma once
// The capacity planner (docs/planning.md): for each model and allowed server kind, the most load one
// server of that kind carries for the model alone within its SLA (a capacity search,
// sim/search/capacity_search.h); then for each target the cheapest pools that cover every model's
// rate (sim/planning/fleet_sizing.h); then a simulation of the whole fleet with its balancer and
// network, adding a server to a model's pool while that model misses its SLA.
#include "sim/metrics/run_results.h"
#include "sim/planning/plan_spec.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct PlanOptions {
  int jobs = 1;              // simulations at once
  bool allow_large = false;  // runs beyond the resource estimate's limits
  std::function<void(const std::string&)> progress;  // what it is doing now; may be empty
};

// One server of `kind`, `model` alone: its most load within the model's SLA.
struct KindCapacity {
  std::string model, kind;
  nlohmann::json scheduler;  // the model's scheduler on that kind
  double max_qps = 0;
  bool found = false;
  std::size_t evaluations = 0;
  std::string note;  // why none was found; empty if found
  // A lower load the search saw miss the SLA (CapacityResult::missed_below_qps): a pool of more
  // servers than the sizing needs runs each at a lower load, which may miss it.
  std::optional<double> missed_below_qps;
};

struct VerificationAttempt {
  int servers = 0;
  std::int64_t queries = 0;
  std::vector<std::string> missed;  // models that missed their SLA
  bool saturated = false;
};

struct PlannedPool {
  std::string model, kind;
  int servers = 0;
  nlohmann::json scheduler;
};

struct PlannedFleet {
  PlanTarget target;
  int servers = 0;
  std::map<std::string, int> servers_by_kind;
  double objective_total = 0;
  bool verified = false;  // its last attempt met every model's SLA unsaturated (with the redundancy's servers down)
  int redundancy_servers = 0;  // servers the redundancy rule added
  std::vector<VerificationAttempt> attempts;
  std::vector<PlannedPool> pools;
  RunResults verification;  // its last attempt's
};

struct PlanReport {
  std::vector<KindCapacity> capacities;
  std::vector<PlannedFleet> fleets;  // one per target, in order
  int capacity_evaluations = 0;
  double wall_seconds = 0;
  int jobs = 1;
};

// What the plan will simulate, before any pool is sized: each target's verification with one server
// per model and kind (its length, requests and work do not depend on the pools' sizes), then each
// capacity probe (one server of a kind, one model, at 1,000 qps: the search varies the rate).
struct PlanScenarios {
  std::vector<Scenario> verifications, probes;
};
PlanScenarios plan_scenarios(const PlanSpec& plan);

// Before any work: the fleet as the plan simulates it (one server per model and kind) is a valid
// scenario, and each target's verification and each capacity probe is within the resource limits
// (unless allow_large). Throws InputError.
void check_plan_resources(const PlanSpec& plan, bool allow_large);

// Throws PoolSizingError (sim/planning/fleet_sizing.h) when no allowed kind serves a model the
// targets ask for, or a pool would exceed the most servers a fleet may have.
PlanReport make_plan(const PlanSpec& plan, const PlanOptions& options);

// The plan JSON of `recsim plan --out` (docs/planning.md), without its provenance.
nlohmann::ordered_json plan_report_json(const PlanSpec& plan, const PlanReport& report);

}  // namespace recsim
