// `recsim plan PLAN.json [--out FILE] [--jobs N] [--quiet] [--validate-only] [--allow-large]`: capacity
// planning (docs/planning.md).
// For each model and allowed server kind, the most load one server of that kind carries for the
// model alone within its SLA (a capacity search, sim/search/capacity_search.h); then for each target
// the cheapest pools that cover every model's rate (sim/planning/fleet_sizing.h); then a simulation
// of the whole fleet with its balancer and network, adding a server to a model's pool while that
// model misses its SLA.
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/output_path.h"
#include "sim/engine/atomic_file.h"
#include "sim/engine/isolated_run.h"
#include "sim/metrics/results_json.h"
#include "sim/planning/fleet_sizing.h"
#include "sim/provenance/build_version.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/capacity_search.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>

namespace recsim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

struct PlanFlags {
  std::string plan;
  std::string out;
  int jobs = 0;
  bool quiet = false;
  bool validate_only = false;
  bool allow_large = false;
};

struct Target {
  double total_qps = 0;
  std::map<std::string, double> model_qps;  // per model
};

struct Plan {
  std::string name;
  std::string fleet_file;
  json fleet;       // the fleet scenario's document
  std::string base_dir;
  std::vector<std::string> models;  // the fleet's, in order
  std::map<std::string, double> shares;       // normalised: they sum to 1 over the models
  std::map<std::string, double> percentiles;  // each model's SLA percentile
  std::vector<std::string> kinds;   // allowed, in the fleet's order
  std::string objective = "cost";
  std::map<std::string, double> objective_per_server;
  std::vector<Target> targets;
  std::int64_t probe_queries = 20000, probe_warmup = 2000;
  double precision = 0.02;
  std::int64_t verify_queries = 200000, verify_warmup = 20000;
  int max_attempts = 8;
};

const json* kind_of(const json& fleet, const std::string& name) {
  for (const auto& k : fleet["server_kinds"])
    if (k.value("name", "") == name) return &k;
  return nullptr;
}

// The verification's measured queries a model needs for its SLA percentile to be estimated: 100
// above the percentile, and at least 1,000.
std::int64_t measured_queries_needed(double percentile) {
  return std::max<std::int64_t>(1000, static_cast<std::int64_t>(std::ceil(100.0 / (1.0 - percentile / 100.0) - 1e-9)));
}

constexpr std::int64_t kMaxVerifyQueries = 100'000'000;

// The verification run of a target: verify.queries, lengthened where a model's part of the target
// would otherwise leave too few of its queries measured (its verdict would be on no data, and the
// plan would add servers to it forever). Throws InputError when that needs more than the most
// queries a verification may run.
std::int64_t verify_queries_for(const Plan& p, const Target& t, std::size_t index) {
  std::int64_t queries = p.verify_queries;
  for (const auto& m : p.models) {
    const double q = t.model_qps.at(m);
    if (!(q > 0)) continue;
    const double fraction = q / t.total_qps;
    const double needed = static_cast<double>(measured_queries_needed(p.percentiles.at(m))) * t.total_qps / q +
                          static_cast<double>(p.verify_warmup);
    if (needed > static_cast<double>(kMaxVerifyQueries)) {
      char text[320];
      std::snprintf(text, sizeof text,
                    "model %s is %.3g of the target's rate: measuring %lld of its queries (for its p%g) needs %.3g queries in "
                    "the verification, more than %lld; give it a larger share or size it in a plan of its own",
                    m.c_str(), fraction, static_cast<long long>(measured_queries_needed(p.percentiles.at(m))), p.percentiles.at(m),
                    needed, static_cast<long long>(kMaxVerifyQueries));
      throw InputError("targets." + std::to_string(index), text);
    }
    queries = std::max(queries, static_cast<std::int64_t>(std::ceil(needed)));
  }
  return queries;
}

Plan load_plan(const std::string& path) {
  const json document = read_json_file(path);
  Plan p;
  try {
    JsonReader r(document, "");
    p.name = r.string_or("name", fs::path(path).stem().string());
    r.string_or("description", "");
    const std::string fleet = r.string("fleet");
    const auto dir = fs::path(path).parent_path();
    p.fleet_file = fs::path(fleet).is_absolute() || dir.empty() ? fleet : (dir / fleet).string();
    Scenario s;
    try {
      s = load_scenario(p.fleet_file, {});
    } catch (const InputError& e) {
      throw InputError("fleet: " + p.fleet_file + ": " + e.where(), e.expected());
    }
    if (s.format < 2) throw InputError("fleet", "expected a format-2 (datacenter) scenario with server kinds and models");
    if (s.arrival.process != ArrivalSpec::Process::poisson) throw InputError("fleet", "expected Poisson arrivals (workload.arrival.process)");
    p.fleet = read_json_file(p.fleet_file);
    const auto fleet_dir = fs::path(p.fleet_file).parent_path().string();
    p.base_dir = fleet_dir.empty() ? "." : fleet_dir;
    // A model's share is its part of the arrivals, normalised over the fleet's models
    // (docs/scenario-format.md): two models without a share take half each.
    double share_total = 0;
    for (const auto& m : s.models) share_total += m.share;
    for (const auto& m : s.models) {
      p.models.push_back(m.name);
      p.shares[m.name] = m.share / share_total;
      p.percentiles[m.name] = m.sla.percentile;
    }
    std::vector<std::string> all;
    for (const auto& k : s.kinds) all.push_back(k.name);
    if (r.has("kinds")) {
      const json& list = r.array("kinds");
      std::set<std::string> wanted;
      for (std::size_t i = 0; i < list.size(); ++i) {
        if (!list[i].is_string() || !kind_of(p.fleet, list[i].get<std::string>()))
          throw InputError("kinds." + std::to_string(i), "expected the name of one of the fleet's server kinds, got " + list[i].dump());
        wanted.insert(list[i].get<std::string>());
      }
      for (const auto& k : all)
        if (wanted.count(k)) p.kinds.push_back(k);
      if (p.kinds.empty()) throw InputError("kinds", "expected at least one server kind");
    } else {
      p.kinds = all;
    }
    p.objective = r.choice_or("objective", {"cost", "power", "servers"}, "cost");
    std::map<std::string, double> cost;
    if (r.has("cost_per_hour")) {
      JsonReader c = r.object("cost_per_hour");
      for (const auto& k : all)
        if (c.has(k)) cost[k] = c.number(k, 0.0, 1e9, true);
      c.finish();
    }
    for (const auto& k : p.kinds) {
      const json& kind = *kind_of(p.fleet, k);
      if (p.objective == "servers") {
        p.objective_per_server[k] = 1;
      } else if (p.objective == "cost") {
        if (!cost.count(k) && kind.contains("cost_per_hour")) cost[k] = kind["cost_per_hour"].get<double>();
        if (!cost.count(k) || !(cost[k] > 0))
          throw InputError("cost_per_hour", "the objective is cost: expected a cost per hour > 0 for server kind \"" + k +
                                                "\" (here or in the fleet's server_kinds)");
        p.objective_per_server[k] = cost[k];
      } else {
        if (!kind.contains("power"))
          throw InputError("objective", "the objective is power: server kind \"" + k + "\" has no power model in the fleet");
        const json& w = kind["power"];
        p.objective_per_server[k] = w.value("cpu_busy_w", 0.0) + kind.value("gpus", 0) * w.value("gpu_busy_w", 0.0) + w.value("other_w", 0.0);
      }
    }
    if (r.has("targets") == r.has("growth")) throw InputError("targets", "expected exactly one of \"targets\" or \"growth\"");
    if (r.has("targets")) {
      const json& list = r.array("targets");
      if (list.empty()) throw InputError("targets", "expected at least one target");
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string at = "targets." + std::to_string(i);
        JsonReader t(list[i], at);
        Target target;
        if (t.has("qps") == t.has("models")) throw InputError(at, "expected exactly one of \"qps\" (in the fleet's shares) or \"models\"");
        if (t.has("qps")) {
          target.total_qps = t.number("qps", 0.0, 1e12, true);
          for (const auto& m : p.models) target.model_qps[m] = target.total_qps * p.shares[m];
        } else {
          JsonReader m = t.object("models");
          for (const auto& name : p.models) {
            target.model_qps[name] = m.number_or(name, 0.0, 0.0, 1e12);
            target.total_qps += target.model_qps[name];
          }
          m.finish();  // a model the fleet does not have is an unknown key
          if (!(target.total_qps > 0)) throw InputError(at + ".models", "expected a rate > 0 for at least one model");
        }
        t.finish();
        p.targets.push_back(std::move(target));
      }
    } else {
      JsonReader g = r.object("growth");
      const double start = g.number("qps", 0.0, 1e12, true);
      const double factor = g.number("factor", 1.0, 100.0, true);
      const auto steps = g.integer("steps", 1, 100);
      g.finish();
      for (std::int64_t i = 0; i < steps; ++i) {
        Target target;
        target.total_qps = start * std::pow(factor, static_cast<double>(i));
        for (const auto& m : p.models) target.model_qps[m] = target.total_qps * p.shares[m];
        p.targets.push_back(std::move(target));
      }
    }
    if (r.has("capacity")) {
      JsonReader c = r.object("capacity");
      p.probe_queries = c.integer_or("queries", p.probe_queries, 1000, 100'000'000);
      p.probe_warmup = c.integer_or("warmup_queries", p.probe_queries / 10, 0, p.probe_queries - 1);
      p.precision = c.number_or("precision", p.precision, 1e-4, 0.5);
      c.finish();
    }
    if (r.has("verify")) {
      JsonReader v = r.object("verify");
      p.verify_queries = v.integer_or("queries", p.verify_queries, 1000, 100'000'000);
      p.verify_warmup = v.integer_or("warmup_queries", p.verify_queries / 10, 0, p.verify_queries - 1);
      p.max_attempts = static_cast<int>(v.integer_or("max_attempts", p.max_attempts, 1, 100));
      v.finish();
    }
    r.finish();
    for (std::size_t i = 0; i < p.targets.size(); ++i) verify_queries_for(p, p.targets[i], i);
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  return p;
}

struct Pool {
  std::string model, kind;
  int servers = 0;
};

std::string pool_name(const Pool& p) { return p.model + "-on-" + p.kind; }

// The fleet document with these pools (one server group each) serving the models at `target`.
json fleet_with(const Plan& plan, const std::vector<Pool>& pools, const Target& target, std::int64_t queries, std::int64_t warmup,
                bool weighted) {
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
    models.push_back(m);
  }
  doc["server_kinds"] = kinds;
  doc["server_groups"] = groups;
  doc["models"] = models;
  doc["workload"]["arrival"]["qps"] = target.total_qps;
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

int execute(const PlanFlags& f) {
  const Plan plan = load_plan(f.plan);
  if (!f.out.empty()) check_output_path("--out", f.out, {f.plan, plan.fleet_file});
  const int jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  const auto started = std::chrono::steady_clock::now();
  const bool progress = !f.quiet && ::isatty(STDERR_FILENO);
  auto say = [&](const std::string& text) {
    if (progress) std::fprintf(stderr, "\r%s\033[K", text.c_str());
  };

  // Before any work: the fleet as the plan will simulate it (here one server per model and kind)
  // must be a valid scenario, and each target's verification (its length, its requests and work,
  // which do not depend on the pools' sizes) within the resource limits; a capacity probe too.
  {
    std::vector<Pool> every;
    for (const auto& m : plan.models)
      for (const auto& k : plan.kinds) every.push_back({m, k, 1});
    try {
      for (std::size_t t = 0; t < plan.targets.size(); ++t) {
        const Scenario verification = parse_scenario(
            fleet_with(plan, every, plan.targets[t], verify_queries_for(plan, plan.targets[t], t), plan.verify_warmup, true), plan.base_dir);
        check_resources(verification, f.allow_large);
      }
      for (const auto& m : plan.models)
        for (const auto& k : plan.kinds) {
          Target probe;
          probe.model_qps[m] = probe.total_qps = 1000;
          const Scenario one = parse_scenario(fleet_with(plan, {{m, k, 1}}, probe, plan.probe_queries, plan.probe_warmup, false), plan.base_dir);
          check_resources(one, f.allow_large);
        }
    } catch (const InputError& e) {
      throw InputError(f.plan + ": the fleet in pools (one per model and kind): " + e.where(), e.expected());
    }
  }

  if (f.validate_only) return kExitDone;

  // 1. One server of each kind, each model alone: its most load within the model's SLA.
  std::set<std::string> wanted;
  for (const auto& t : plan.targets)
    for (const auto& [m, q] : t.model_qps)
      if (q > 0) wanted.insert(m);
  std::map<std::string, std::vector<KindOffer>> offers;
  ojson capacities = ojson::array();
  int evaluations = 0;
  for (const auto& m : plan.models) {
    if (!wanted.count(m)) continue;
    for (const auto& k : plan.kinds) {
      say("recsim plan: capacity of one " + k + " server for " + m);
      Target probe;
      probe.model_qps[m] = 1000;
      probe.total_qps = 1000;
      const json doc = fleet_with(plan, {{m, k, 1}}, probe, plan.probe_queries, plan.probe_warmup, false);
      KindOffer offer{k, 0, plan.objective_per_server.at(k)};
      ojson row = {{"model", m}, {"kind", k}, {"scheduler", scheduler_for(plan.fleet, m, k)}};
      try {
        Scenario s = parse_scenario(doc, plan.base_dir);
        CapacityOptions o;
        o.precision = plan.precision;
        o.jobs = jobs;
        o.allow_large = f.allow_large;
        const CapacityResult r = find_capacity(s, o, isolated_evaluator(jobs));
        evaluations += static_cast<int>(r.points.size());
        offer.capacity_qps = r.found ? r.max_qps : 0;
        row["max_qps"] = r.max_qps;
        row["found"] = r.found;
        row["evaluations"] = r.points.size();
        if (!r.found) row["note"] = r.note;
      } catch (const InputError& e) {  // this kind cannot host the model as configured
        row["max_qps"] = 0;
        row["found"] = false;
        row["note"] = std::string("cannot serve it: ") + e.what();
      }
      offers[m].push_back(offer);
      capacities.push_back(row);
    }
  }

  // 2. and 3. Per target: size the pools, then verify the whole fleet by simulation.
  ojson fleets = ojson::array();
  for (std::size_t t = 0; t < plan.targets.size(); ++t) {
    const Target& target = plan.targets[t];
    std::vector<Pool> pools;
    for (const auto& m : plan.models) {
      const double q = target.model_qps.at(m);
      if (!(q > 0)) continue;
      std::vector<PoolSize> sized;
      try {
        sized = size_pool(q, offers.at(m));
      } catch (const std::runtime_error& e) {
        throw std::runtime_error("model " + m + ": " + e.what() + " (see the capacities with --out)");
      }
      for (const auto& s : sized) pools.push_back({m, s.kind, s.servers});
    }
    ojson attempts = ojson::array();
    json results;
    bool met = false;
    const std::int64_t verify_queries = verify_queries_for(plan, target, t);
    for (int attempt = 1; attempt <= plan.max_attempts; ++attempt) {
      bool mixed = false;
      std::map<std::string, std::set<std::string>> kinds_of;
      for (const auto& p : pools) kinds_of[p.model].insert(p.kind);
      for (const auto& [m, ks] : kinds_of) mixed = mixed || ks.size() > 1;
      int servers = 0;
      for (const auto& p : pools) servers += p.servers;
      char text[160];
      std::snprintf(text, sizeof text, "recsim plan: target %.6g qps, attempt %d: simulating %d servers", target.total_qps, attempt, servers);
      say(text);
      const json doc = fleet_with(plan, pools, target, verify_queries, plan.verify_warmup, mixed);
      const Scenario s = parse_scenario(doc, plan.base_dir);
      results = json::parse(results_to_json(simulate_isolated(s)).dump());
      std::vector<std::string> missed;
      for (const auto& m : results["datacenter"]["models"])
        if (!m["sla"]["met"].get<bool>()) missed.push_back(m["name"].get<std::string>());
      ojson a = {{"servers", servers}, {"queries", verify_queries}, {"missed", missed}, {"saturated", results["saturated"]}};
      attempts.push_back(a);
      if (missed.empty() && !results["saturated"].get<bool>()) {
        met = true;
        break;
      }
      // One more server in the largest pool of each model that missed (of every model if saturated
      // without a model missing).
      std::set<std::string> grow(missed.begin(), missed.end());
      if (grow.empty())
        for (const auto& p : pools) grow.insert(p.model);
      for (const auto& m : grow) {
        Pool* largest = nullptr;
        for (auto& p : pools)
          if (p.model == m && (!largest || p.servers > largest->servers)) largest = &p;
        if (largest) ++largest->servers;
      }
    }
    std::map<std::string, int> per_kind;
    double objective = 0;
    int servers = 0;
    ojson pool_rows = ojson::array();
    for (const auto& p : pools) {
      per_kind[p.kind] += p.servers;
      servers += p.servers;
      objective += p.servers * plan.objective_per_server.at(p.kind);
      pool_rows.push_back({{"model", p.model}, {"kind", p.kind}, {"servers", p.servers}, {"scheduler", scheduler_for(plan.fleet, p.model, p.kind)}});
    }
    ojson kinds = ojson::object();
    for (const auto& [k, n] : per_kind) kinds[k] = n;
    ojson models = ojson::array();
    for (const auto& m : results["datacenter"]["models"])
      models.push_back({{"model", m["name"]}, {"throughput_qps", m["throughput_qps"]}, {"sla", m["sla"]}});
    const json energy = results["datacenter"].value("energy", json(nullptr));
    const json cost = results["datacenter"].value("cost", json(nullptr));
    fleets.push_back({{"target_qps", target.total_qps},
                      {"model_qps", target.model_qps},
                      {"servers", servers},
                      {"servers_by_kind", kinds},
                      {"objective", plan.objective},
                      {"objective_total", objective},
                      {"verified", met},
                      {"attempts", attempts},
                      {"pools", pool_rows},
                      {"verification", {{"models", models},
                                        {"mean_power_w", energy.is_object() ? energy.value("mean_power_w", json(nullptr)) : json(nullptr)},
                                        {"qps_per_watt", energy.is_object() ? energy.value("qps_per_watt", json(nullptr)) : json(nullptr)},
                                        {"cost", cost},
                                        {"throughput_qps", results["throughput_qps"]},
                                        {"latency_ms", results["latency_ms"]}}}});
    if (t + 1 == plan.targets.size()) fleets.back()["verification_results"] = results;  // the largest target's, whole
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  Scenario fleet_scenario = load_scenario(plan.fleet_file, {});
  ojson doc = {{"plan", plan.name},
               {"fleet", plan.fleet_file},
               {"objective", plan.objective},
               {"objective_per_server", plan.objective_per_server},
               {"capacities", capacities},
               {"fleets", fleets},
               {"engine", {{"wall_seconds", wall}, {"capacity_evaluations", evaluations}, {"jobs", jobs}}},
               {"provenance", provenance_json(fleet_scenario)}};
  if (!f.out.empty()) write_file_atomically(f.out, doc.dump(1) + "\n");
  bool all_verified = true;
  for (const auto& fl : fleets) {
    if (fl["verified"].get<bool>()) continue;
    all_verified = false;
    // Said even with --quiet: the exit status alone does not say which target failed.
    std::string missed;
    for (const auto& m : fl["attempts"].back()["missed"]) missed += (missed.empty() ? "" : ", ") + m.get<std::string>();
    std::fprintf(stderr, "recsim plan: target %.6g qps not verified after %zu simulations: %s\n", fl["target_qps"].get<double>(),
                 fl["attempts"].size(), missed.empty() ? "the fleet saturated" : ("still missing its SLA: " + missed).c_str());
  }
  if (!f.quiet) {
    std::printf("recsim plan %s: fleet %s, objective %s\n", plan.name.c_str(), plan.fleet_file.c_str(), plan.objective.c_str());
    std::printf("  one server, one model, within its SLA (qps):\n");
    for (const auto& c : capacities)
      std::printf("    %-14s on %-16s %12.6g%s\n", c["model"].get<std::string>().c_str(), c["kind"].get<std::string>().c_str(),
                  c["max_qps"].get<double>(), c["found"].get<bool>() ? "" : "  (cannot serve it)");
    std::printf("  %12s %8s  %-40s %12s %10s  %s\n", "target qps", "servers", "by kind", plan.objective.c_str(), "power W", "verified");
    for (const auto& fl : fleets) {
      std::string by;
      for (const auto& [k, n] : fl["servers_by_kind"].items()) by += (by.empty() ? "" : ", ") + k + " " + std::to_string(n.get<int>());
      const json power = fl["verification"]["mean_power_w"];
      std::printf("  %12.6g %8d  %-40s %12.6g %10s  %s\n", fl["target_qps"].get<double>(), fl["servers"].get<int>(), by.c_str(),
                  fl["objective_total"].get<double>(), power.is_number() ? std::to_string(static_cast<long>(power.get<double>())).c_str() : "-",
                  fl["verified"].get<bool>() ? ("yes (" + std::to_string(fl["attempts"].size()) + " simulation" + (fl["attempts"].size() > 1 ? "s" : "") + ")").c_str()
                                             : "NO: a model still misses its SLA");
    }
    std::printf("  %d capacity evaluations and %zu fleet simulations in %.1f s\n", evaluations,
                [&] { std::size_t n = 0; for (const auto& fl : fleets) n += fl["attempts"].size(); return n; }(), wall);
  }
  return all_verified ? kExitDone : kExitFailure;
}

}  // namespace

void add_plan_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<PlanFlags>();
  auto* cmd = app.add_subcommand("plan", "Capacity planning: the cheapest fleet whose every model meets its SLA at each target load");
  cmd->add_option("plan", f->plan, "Plan JSON file (docs/planning.md)")->required()->check(non_empty());
  cmd->add_option("--out", f->out, "Write the plan JSON to FILE (atomically)")->check(non_empty());
  cmd->add_option("--jobs", f->jobs, "Simulations run at once (default: the CPUs this process may use)")->check(CLI::Range(1, 1024));
  cmd->add_flag("--quiet", f->quiet, "Print nothing on success");
  cmd->add_flag("--validate-only", f->validate_only, "Check the plan and its fleet (exit 2 with one line if invalid), then exit 0");
  cmd->add_flag("--allow-large", f->allow_large, "Run verifications and probes beyond the resource estimate's limits (docs/scenario-format.md)");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
