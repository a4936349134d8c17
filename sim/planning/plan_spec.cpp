#include "sim/planning/plan_spec.h"

#include "sim/scenario/overrides.h"
#include "sim/scenario/scenario_parser.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

namespace recsim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const json* kind_of(const json& fleet, const std::string& name) {
  for (const auto& k : fleet["server_kinds"])
    if (k.value("name", "") == name) return &k;
  return nullptr;
}

// The allowed kinds ("kinds", default all), in the fleet's order.
std::vector<std::string> allowed_kinds(JsonReader& r, const json& fleet, const std::vector<std::string>& all) {
  if (!r.has("kinds")) return all;
  const json& list = r.array("kinds");
  std::set<std::string> wanted;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string() || !kind_of(fleet, list[i].get<std::string>()))
      throw InputError("kinds." + std::to_string(i), "expected the name of one of the fleet's server kinds, got " + list[i].dump());
    wanted.insert(list[i].get<std::string>());
  }
  std::vector<std::string> kinds;
  for (const auto& k : all)
    if (wanted.count(k)) kinds.push_back(k);
  if (kinds.empty()) throw InputError("kinds", "expected at least one server kind");
  return kinds;
}

// "objective" and, for cost, "cost_per_hour" (or the fleet's kinds' own): the objective per server
// of each allowed kind.
void read_objective(JsonReader& r, PlanSpec& p, const std::vector<std::string>& all) {
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
}

// "targets" (each a total in the fleet's shares or a rate per model, or "fleet_peak") or "growth".
void read_targets(JsonReader& r, const json& plan, PlanSpec& p) {
  if (r.has("targets") == r.has("growth")) throw InputError("targets", "expected exactly one of \"targets\" or \"growth\"");
  if (r.has("targets") && plan["targets"].is_string()) {
    if (r.string("targets") != "fleet_peak")
      throw InputError("targets", "expected a list of targets or \"fleet_peak\", got \"" + plan["targets"].get<std::string>() + "\"");
    PlanTarget target;  // the peak of the fleet's own arrival curve
    target.total_qps = p.arrival_qps * p.arrival_peak_to_mean;
    for (const auto& m : p.models) target.model_qps[m] = target.total_qps * p.shares[m];
    p.targets.push_back(std::move(target));
    return;
  }
  if (r.has("targets")) {
    const json& list = r.array("targets");
    if (list.empty()) throw InputError("targets", "expected at least one target");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = "targets." + std::to_string(i);
      JsonReader t(list[i], at);
      PlanTarget target;
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
    return;
  }
  JsonReader g = r.object("growth");
  const double start = g.number("qps", 0.0, 1e12, true);
  const double factor = g.number("factor", 1.0, 100.0, true);
  const auto steps = g.integer("steps", 1, 100);
  g.finish();
  for (std::int64_t i = 0; i < steps; ++i) {
    PlanTarget target;
    target.total_qps = start * std::pow(factor, static_cast<double>(i));
    for (const auto& m : p.models) target.model_qps[m] = target.total_qps * p.shares[m];
    p.targets.push_back(std::move(target));
  }
}

}  // namespace

std::int64_t measured_queries_needed(double percentile) {
  return std::max<std::int64_t>(1000, static_cast<std::int64_t>(std::ceil(100.0 / (1.0 - percentile / 100.0) - 1e-9)));
}

std::int64_t verify_queries_for(const PlanSpec& p, const PlanTarget& t, std::size_t index) {
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

PlanSpec plan_spec_from(const json& plan, const json& fleet, const std::string& fleet_file, const std::string& base_dir,
                        const std::string& where) {
  PlanSpec p;
  try {
    JsonReader r(plan, "");
    p.name = r.string_or("name", where);
    r.string_or("description", "");
    r.string("fleet");
    p.fleet_file = fleet_file;
    p.base_dir = base_dir;
    Scenario s;
    try {
      s = parse_scenario(fleet, base_dir);
    } catch (const InputError& e) {
      throw InputError("fleet: " + fleet_file + ": " + e.where(), e.expected());
    }
    if (s.format < 2) throw InputError("fleet", "expected a format-2 (datacenter) scenario with server kinds and models");
    if (s.arrival.from_trace())
      throw InputError("fleet", "expected synthetic arrivals (workload.arrival.process): a trace's peak is not known");
    p.arrival_qps = s.arrival.qps;
    p.arrival_peak_to_mean = s.arrival.peak_to_mean;
    if (r.has("redundancy")) {
      JsonReader red = r.object("redundancy");
      p.redundancy = red.choice("rule", {"none", "n_plus_k", "rack"});
      if (p.redundancy != "n_plus_k" && red.has("k")) throw InputError("redundancy.k", "only the \"n_plus_k\" rule takes k");
      if (p.redundancy == "n_plus_k") p.redundancy_k = static_cast<int>(red.integer("k", 1, 1000));
      if (p.redundancy == "rack") {
        if (!s.fleet.network.enabled) throw InputError("redundancy.rule", "\"rack\" needs the fleet's network (its racks)");
        p.rack_servers = s.fleet.network.servers_per_rack;
      }
      red.finish();
    }
    p.fleet = fleet;
    // A model's share is its part of the arrivals, normalised over the fleet's models
    // (docs/scenario-format.md): two models without a share take half each.
    double share_total = 0;
    for (const auto& m : s.fleet.models) share_total += m.share;
    for (const auto& m : s.fleet.models) {
      p.models.push_back(m.name);
      p.shares[m.name] = m.share / share_total;
      p.percentiles[m.name] = m.sla.percentile;
    }
    std::vector<std::string> all;
    for (const auto& k : s.fleet.kinds) all.push_back(k.name);
    p.kinds = allowed_kinds(r, p.fleet, all);
    for (const auto& m : s.fleet.models) {
      std::set<int> hosting;  // the kinds of the groups it is placed on
      for (int g : m.groups) hosting.insert(s.fleet.groups[static_cast<std::size_t>(g)].kind);
      for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k)
        if (hosting.count(static_cast<int>(k)) && std::find(p.kinds.begin(), p.kinds.end(), s.fleet.kinds[k].name) != p.kinds.end())
          p.kinds_of_model[m.name].push_back(s.fleet.kinds[k].name);
      if (p.kinds_of_model[m.name].empty())
        throw InputError("kinds", "no allowed kind hosts model \"" + m.name + "\" (its groups in the fleet are of other kinds)");
    }
    read_objective(r, p, all);
    read_targets(r, plan, p);
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
    throw InputError(where + ": " + e.where(), e.expected());
  }
  return p;
}

PlanSpec load_plan(const std::string& path, const std::vector<std::string>& overrides) {
  json document = read_json_file(path);
  std::vector<std::string> fleet_overrides;
  for (const auto& o : overrides)
    if (o.rfind("plan.", 0) == 0)
      apply_override(document, o.substr(5));
    else
      fleet_overrides.push_back(o);
  std::string fleet_file;
  try {
    fleet_file = JsonReader(document, "").string("fleet");
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  const auto dir = fs::path(path).parent_path();
  if (!(fs::path(fleet_file).is_absolute() || dir.empty())) fleet_file = (dir / fleet_file).string();
  json fleet;
  try {
    fleet = read_json_file(fleet_file);
  } catch (const InputError& e) {
    throw InputError(path + ": fleet: " + e.where(), e.expected());
  }
  for (const auto& o : fleet_overrides) apply_override(fleet, o);  // errors name the --set
  const auto fleet_dir = fs::path(fleet_file).parent_path().string();
  PlanSpec p = plan_spec_from(document, fleet, fleet_file, fleet_dir.empty() ? "." : fleet_dir, path);
  if (!document.contains("name")) p.name = fs::path(path).stem().string();
  return p;
}

}  // namespace recsim
