#include "sim/planning/fleet_plan.h"

#include "sim/engine/isolated_run.h"
#include "sim/metrics/results_json.h"
#include "sim/planning/fleet_sizing.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/capacity_search.h"
#include "workloads/input_error.h"

#include <chrono>
#include <cstdio>
#include <set>
#include <stdexcept>

namespace recsim {
namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

struct Pool {
  std::string model, kind;
  int servers = 0;
};

std::string pool_name(const Pool& p) { return p.model + "-on-" + p.kind; }

// The fleet document with these pools (one server group each) serving the models at `target`, with
// the plan's redundancy applied (its servers down) unless `redundancy` is false (capacity probes).
json fleet_with(const PlanSpec& plan, const std::vector<Pool>& pools, const PlanTarget& target, std::int64_t queries,
                std::int64_t warmup, bool weighted, bool redundancy = true) {
  json doc = plan.fleet;
  std::set<std::string> used_kinds;
  json groups = json::array();
  std::map<std::string, json> groups_of_model;
  std::map<std::string, std::set<std::string>> kinds_of_model;
  for (const auto& p : pools) {
    used_kinds.insert(p.kind);
    kinds_of_model[p.model].insert(p.kind);
    groups.push_back({{"name", pool_name(p)}, {"kind", p.kind}, {"count", p.servers}});
    groups_of_model[p.model].push_back(pool_name(p));
  }
  json kinds = json::array();
  for (const auto& k : doc["server_kinds"])
    if (used_kinds.count(k["name"].get<std::string>())) kinds.push_back(k);
  json models = json::array();
  for (auto m : doc["models"]) {
    const std::string name = m["name"].get<std::string>();
    if (!groups_of_model.count(name)) continue;
    m["share"] = target.model_qps.at(name) / target.total_qps;
    m["groups"] = groups_of_model[name];
    if (m.contains("scheduler_by_kind")) {
      json by_kind = json::object();
      for (const auto& [k, v] : m["scheduler_by_kind"].items())
        if (kinds_of_model[name].count(k)) by_kind[k] = v;
      m["scheduler_by_kind"] = by_kind;
    }
    // Its embedding cache lives on the GPUs of the kinds serving it: none among its pools, no cache.
    if (m.contains("service") && m["service"].contains("embedding_cache")) {
      bool gpus = false;
      for (const auto& k : kinds)
        if (kinds_of_model[name].count(k["name"].get<std::string>()) && k.value("gpus", 0) > 0) gpus = true;
      if (!gpus) m["service"].erase("embedding_cache");
    }
    models.push_back(m);
  }
  doc["server_kinds"] = kinds;
  doc["server_groups"] = groups;
  doc["models"] = models;
  // At the target's rate throughout (a time-varying fleet is sized for a rate it reaches).
  doc["workload"]["arrival"] = {{"process", "poisson"}, {"qps", target.total_qps}};
  // Redundancy: verified with the servers it adds down throughout, in every pool at once (pools are
  // groups of their own, so each pool's loss is checked as if alone).
  doc.erase("failures");
  doc.erase("autoscaling");
  if (redundancy && plan.redundancy != "none") {
    json down = json::array();
    for (const auto& p : pools) {
      if (plan.redundancy == "rack") {
        down.push_back({{"group", pool_name(p)}, {"rack", 0}, {"down_s", 0}});
      } else {
        for (int i = 0; i < std::min(plan.redundancy_k, p.servers); ++i) down.push_back({{"group", pool_name(p)}, {"server", i}, {"down_s", 0}});
      }
    }
    doc["failures"] = {{"scheduled", down}};
  }
  doc["run"] = {{"queries", queries}, {"warmup_queries", warmup}};
  if (weighted) doc["balancer"] = {{"policy", "weighted_round_robin"}};
  doc["name"] = plan.name;
  return doc;
}

json scheduler_for(const json& fleet, const std::string& model, const std::string& kind) {
  for (const auto& m : fleet["models"]) {
    if (m["name"] != model) continue;
    if (m.contains("scheduler_by_kind") && m["scheduler_by_kind"].contains(kind)) return m["scheduler_by_kind"][kind];
    return m["scheduler"];
  }
  return nullptr;
}

// A capacity probe: one server of `kind` serving `model` alone (its rate is the search's to vary).
json probe_document(const PlanSpec& plan, const std::string& model, const std::string& kind) {
  PlanTarget probe;
  probe.model_qps[model] = probe.total_qps = 1000;
  return fleet_with(plan, {{model, kind, 1}}, probe, plan.probe_queries, plan.probe_warmup, false, false);
}

void progress(const PlanOptions& o, const std::string& text) {
  if (o.progress) o.progress(text);
}

// 1. One server of each allowed kind, each model the targets ask for alone: its most load within
// the model's SLA. A kind that cannot host the model as configured offers nothing.
void measure_capacities(const PlanSpec& plan, const PlanOptions& o, PlanReport& report,
                        std::map<std::string, std::vector<KindOffer>>& offers) {
  std::set<std::string> wanted;
  for (const auto& t : plan.targets)
    for (const auto& [m, q] : t.model_qps)
      if (q > 0) wanted.insert(m);
  for (const auto& m : plan.models) {
    if (!wanted.count(m)) continue;
    for (const auto& k : plan.kinds_of_model.at(m)) {
      progress(o, "recsim plan: capacity of one " + k + " server for " + m);
      KindOffer offer{k, 0, plan.objective_per_server.at(k)};
      KindCapacity row;
      row.model = m;
      row.kind = k;
      row.scheduler = scheduler_for(plan.fleet, m, k);
      try {
        const Scenario s = parse_scenario(probe_document(plan, m, k), plan.base_dir);
        CapacityOptions co;
        co.precision = plan.precision;
        co.jobs = o.jobs;
        co.allow_large = o.allow_large;
        const CapacityResult r = find_capacity(s, co, isolated_evaluator(o.jobs));
        report.capacity_evaluations += static_cast<int>(r.points.size());
        offer.capacity_qps = r.found ? r.max_qps : 0;
        row.max_qps = r.max_qps;
        row.found = r.found;
        row.evaluations = r.points.size();
        if (!r.found) row.note = r.note;
        row.missed_below_qps = r.missed_below_qps;
      } catch (const InputError& e) {
        row.note = std::string("cannot serve it: ") + e.what();
      }
      offers[m].push_back(offer);
      report.capacities.push_back(row);
    }
  }
}

// 2. The cheapest pools covering each model's rate at `target`.
std::vector<Pool> size_pools(const PlanSpec& plan, const PlanTarget& target, const std::map<std::string, std::vector<KindOffer>>& offers) {
  std::vector<Pool> pools;
  for (const auto& m : plan.models) {
    const double q = target.model_qps.at(m);
    if (!(q > 0)) continue;
    std::vector<PoolSize> sized;
    try {
      sized = size_pool(q, offers.at(m));
    } catch (const PoolSizingError& e) {
      throw PoolSizingError("model " + m + ": " + e.what() + " (see the capacities with --out)");
    }
    for (const auto& s : sized) pools.push_back({m, s.kind, s.servers});
  }
  return pools;
}

int server_count(const std::vector<Pool>& pools) {
  int servers = 0;
  for (const auto& p : pools) servers += p.servers;
  return servers;
}

// 3. The whole fleet simulated with its balancer and network; while a model misses its SLA, one more
// server in its largest pool (in every model's if the fleet saturated with none missing).
PlannedFleet verify(const PlanSpec& plan, const PlanOptions& o, std::size_t index, std::vector<Pool> pools) {
  PlannedFleet fleet;
  fleet.target = plan.targets[index];
  const int extra = plan.redundancy == "n_plus_k" ? plan.redundancy_k : plan.redundancy == "rack" ? plan.rack_servers : 0;
  for (auto& p : pools) {
    p.servers += extra;
    fleet.redundancy_servers += extra;
  }
  const std::int64_t queries = verify_queries_for(plan, fleet.target, index);
  for (int attempt = 1; attempt <= plan.max_attempts && !fleet.verified; ++attempt) {
    std::map<std::string, std::set<std::string>> kinds_of;
    for (const auto& p : pools) kinds_of[p.model].insert(p.kind);
    bool mixed = false;  // a model on several kinds: the balancer weighs the servers
    for (const auto& [m, ks] : kinds_of) mixed = mixed || ks.size() > 1;
    char text[160];
    std::snprintf(text, sizeof text, "recsim plan: target %.6g qps, attempt %d: simulating %d servers", fleet.target.total_qps, attempt,
                  server_count(pools));
    progress(o, text);
    const Scenario s = parse_scenario(fleet_with(plan, pools, fleet.target, queries, plan.verify_warmup, mixed), plan.base_dir);
    fleet.verification = simulate_isolated(s);
    VerificationAttempt a{server_count(pools), queries, {}, fleet.verification.saturated};
    for (const auto& m : fleet.verification.datacenter->models)
      if (!m.sla.met) a.missed.push_back(m.name);
    fleet.attempts.push_back(a);
    fleet.verified = a.missed.empty() && !a.saturated;
    if (fleet.verified || attempt == plan.max_attempts) break;
    std::set<std::string> grow(a.missed.begin(), a.missed.end());
    if (grow.empty())
      for (const auto& p : pools) grow.insert(p.model);
    for (const auto& m : grow) {
      Pool* largest = nullptr;
      for (auto& p : pools)
        if (p.model == m && (!largest || p.servers > largest->servers)) largest = &p;
      if (largest) ++largest->servers;
    }
  }
  for (const auto& p : pools) {
    fleet.servers_by_kind[p.kind] += p.servers;
    fleet.servers += p.servers;
    fleet.objective_total += p.servers * plan.objective_per_server.at(p.kind);
    fleet.pools.push_back({p.model, p.kind, p.servers, scheduler_for(plan.fleet, p.model, p.kind)});
  }
  return fleet;
}

}  // namespace

PlanScenarios plan_scenarios(const PlanSpec& plan) {
  PlanScenarios out;
  std::vector<Pool> every;
  for (const auto& m : plan.models)
    for (const auto& k : plan.kinds_of_model.at(m)) every.push_back({m, k, 1});
  for (std::size_t t = 0; t < plan.targets.size(); ++t) {
    const json doc = fleet_with(plan, every, plan.targets[t], verify_queries_for(plan, plan.targets[t], t), plan.verify_warmup, true);
    out.verifications.push_back(parse_scenario(doc, plan.base_dir));
  }
  for (const auto& m : plan.models)
    for (const auto& k : plan.kinds_of_model.at(m)) out.probes.push_back(parse_scenario(probe_document(plan, m, k), plan.base_dir));
  return out;
}

void check_plan_resources(const PlanSpec& plan, bool allow_large) {
  const PlanScenarios all = plan_scenarios(plan);
  for (const auto* list : {&all.verifications, &all.probes})
    for (const Scenario& s : *list) check_resources(s, allow_large);
}

PlanReport make_plan(const PlanSpec& plan, const PlanOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  PlanReport report;
  report.jobs = o.jobs;
  std::map<std::string, std::vector<KindOffer>> offers;
  measure_capacities(plan, o, report, offers);
  for (std::size_t t = 0; t < plan.targets.size(); ++t)
    report.fleets.push_back(verify(plan, o, t, size_pools(plan, plan.targets[t], offers)));
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

ojson plan_report_json(const PlanSpec& plan, const PlanReport& report) {
  ojson capacities = ojson::array();
  for (const auto& c : report.capacities) {
    ojson row = {{"model", c.model}, {"kind", c.kind}, {"scheduler", c.scheduler}, {"max_qps", c.max_qps}, {"found", c.found},
                 {"evaluations", c.evaluations}};
    if (!c.found) row["note"] = c.note;
    row["missed_below_qps"] = c.missed_below_qps ? ojson(*c.missed_below_qps) : ojson(nullptr);
    capacities.push_back(row);
  }
  ojson fleets = ojson::array();
  for (std::size_t t = 0; t < report.fleets.size(); ++t) {
    const PlannedFleet& f = report.fleets[t];
    ojson attempts = ojson::array();
    for (const auto& a : f.attempts)
      attempts.push_back({{"servers", a.servers}, {"queries", a.queries}, {"missed", a.missed}, {"saturated", a.saturated}});
    ojson pools = ojson::array();
    for (const auto& p : f.pools) pools.push_back({{"model", p.model}, {"kind", p.kind}, {"servers", p.servers}, {"scheduler", p.scheduler}});
    const ojson results = results_to_json(f.verification);
    ojson models = ojson::array();
    for (const auto& m : results["datacenter"]["models"])
      models.push_back({{"model", m["name"]}, {"throughput_qps", m["throughput_qps"]}, {"sla", m["sla"]}});
    const ojson& dc = results["datacenter"];
    const ojson energy = dc.contains("energy") ? dc["energy"] : ojson(nullptr);
    const ojson cost = dc.contains("cost") ? dc["cost"] : ojson(nullptr);
    auto from_energy = [&](const char* key) { return energy.is_object() && energy.contains(key) ? energy[key] : ojson(nullptr); };
    fleets.push_back({{"target_qps", f.target.total_qps},
                      {"model_qps", f.target.model_qps},
                      {"servers", f.servers},
                      {"servers_by_kind", f.servers_by_kind},
                      {"objective", plan.objective},
                      {"objective_total", f.objective_total},
                      {"verified", f.verified},
                      {"redundancy", {{"rule", plan.redundancy},
                                      {"servers", f.redundancy_servers},
                                      {"verified_with", plan.redundancy == "none"     ? "every server up"
                                                        : plan.redundancy == "rack" ? "the fullest rack of every pool down throughout"
                                                                                    : std::to_string(plan.redundancy_k) + (plan.redundancy_k == 1 ? " server" : " servers") +
                                                                                          " of every pool down throughout"}}},
                      {"availability", results.contains("availability") ? ojson{{"within_sla", results["availability"]["within_sla"]},
                                                                                {"query_nines", results["availability"]["query_nines"]},
                                                                                {"servers_down", results["availability"]["most_down"]}}
                                                                          : ojson(nullptr)},
                      {"attempts", attempts},
                      {"pools", pools},
                      {"verification", {{"models", models},
                                        {"mean_power_w", from_energy("mean_power_w")},
                                        {"qps_per_watt", from_energy("qps_per_watt")},
                                        {"cost", cost},
                                        {"throughput_qps", results["throughput_qps"]},
                                        {"latency_ms", results["latency_ms"]}}}});
    if (t + 1 == report.fleets.size()) fleets.back()["verification_results"] = results;  // the largest target's, whole
  }
  return {{"plan", plan.name},
          {"fleet", plan.fleet_file},
          {"objective", plan.objective},
          {"objective_per_server", plan.objective_per_server},
          {"capacities", capacities},
          {"fleets", fleets},
          {"engine", {{"wall_seconds", report.wall_seconds}, {"capacity_evaluations", report.capacity_evaluations}, {"jobs", report.jobs}}}};
}

}  // namespace recsim
