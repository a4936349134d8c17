#pragma once
// A capacity plan as read from its plan file (docs/planning.md): the fleet scenario it sizes (a
// format-2 document with server kinds and models), the kinds it may buy, the objective, the target
// rates, and how long its capacity probes and verification runs are. Every key is checked here;
// a bad one is an InputError naming it.
#include "sim/scenario/scenario.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace recsim {

struct PlanTarget {
  double total_qps = 0;
  std::map<std::string, double> model_qps;  // per model
};

struct PlanSpec {
  std::string name;
  std::string fleet_file;  // as given (made relative to the plan file's folder)
  nlohmann::json fleet;    // the fleet scenario's document
  std::string base_dir;    // where the fleet's relative paths are resolved
  std::vector<std::string> models;            // the fleet's, in order
  std::map<std::string, double> shares;       // normalised: they sum to 1 over the models
  std::map<std::string, double> percentiles;  // each model's SLA percentile
  std::vector<std::string> kinds;             // allowed, in the fleet's order
  // Per model: the allowed kinds that host it in the fleet (the kinds of its `groups`; all allowed
  // kinds where it has none), in the fleet's order.
  std::map<std::string, std::vector<std::string>> kinds_of_model;
  std::string objective = "cost";             // "cost", "power" or "servers"
  std::map<std::string, double> objective_per_server;
  std::vector<PlanTarget> targets;
  std::int64_t probe_queries = 20000, probe_warmup = 2000;
  double precision = 0.02;
  std::int64_t verify_queries = 200000, verify_warmup = 20000;
  int max_attempts = 8;
  // Redundancy (docs/planning.md): "none"; "n_plus_k", `redundancy_k` more servers in every pool;
  // "rack", a rack's worth (`rack_servers`) more in every pool, so it survives the loss of its fullest
  // rack. The verification runs with those servers down throughout.
  std::string redundancy = "none";
  int redundancy_k = 0;
  int rack_servers = 0;
  // The fleet's arrivals: their mean rate and their peak over it ("targets": "fleet_peak").
  double arrival_qps = 0, arrival_peak_to_mean = 1;
};

// The plan file at `path` and the fleet it names, with `overrides` (PATH=VALUE, as `--set`) applied:
// to the plan's own keys when PATH starts with "plan." (`plan.objective=power`), else to the fleet's
// document. Throws InputError ("PATH: key: expected ...").
PlanSpec load_plan(const std::string& path, const std::vector<std::string>& overrides = {});

// The same from documents already read: `plan` (the plan file's keys; "fleet" is only a name here)
// over the fleet document `fleet`, whose relative paths resolve from `base_dir`. Errors are named
// from `where`.
PlanSpec plan_spec_from(const nlohmann::json& plan, const nlohmann::json& fleet, const std::string& fleet_file,
                        const std::string& base_dir, const std::string& where);

// The measured queries of a model that its SLA percentile needs to be estimated: 100 above the
// percentile, and at least 1,000.
std::int64_t measured_queries_needed(double percentile);

// The most queries a verification may run.
inline constexpr std::int64_t kMaxVerifyQueries = 100'000'000;

// The verification run of target `index`: verify.queries, lengthened where a model's part of the
// target would otherwise leave too few of its queries measured (its verdict would be on no data, and
// the plan would add servers to it forever). Throws InputError when that needs more than
// kMaxVerifyQueries.
std::int64_t verify_queries_for(const PlanSpec& p, const PlanTarget& t, std::size_t index);

}  // namespace recsim
