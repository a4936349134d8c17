#include "sim/search/fleet_tuning.h"

#include "sim/scenario/resource_estimate.h"
#include "sim/search/profile_uncertainty.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

// One server of kind `k` serving model `m` alone: a format-1 scenario (one model on every server).
Scenario slice_of(const Scenario& fleet, int m, int k, std::optional<std::uint64_t> queries) {
  const FleetModel& model = fleet.fleet.models[static_cast<std::size_t>(m)];
  const ServerKind& kind = fleet.fleet.kinds[static_cast<std::size_t>(k)];
  Scenario s;
  s.name = fleet.name + ": " + model.name + " on " + kind.name;
  s.seed = fleet.seed;
  s.format = 1;
  s.arrival = fleet.arrival;
  s.run.queries = fleet.run.queries;
  s.run.warmup_queries = fleet.run.warmup_queries;
  if (queries) {
    s.run.warmup_queries = static_cast<std::uint64_t>(static_cast<double>(fleet.run.warmup_queries) * static_cast<double>(*queries) /
                                                      static_cast<double>(fleet.run.queries));
    s.run.queries = *queries;
  }
  s.fleet.kinds = {kind};
  // A model sharing the cores another model's instances leave is tuned on those (the fewest over
  // its groups of the kind); one with instances of its own keeps the kind's cores around them.
  int cores = kind.cpu_cores;
  if (model.scheduler[static_cast<std::size_t>(k)].instances == 0)
    for (int g : model.groups)
      if (fleet.fleet.groups[static_cast<std::size_t>(g)].kind == k) cores = std::min(cores, fleet.fleet.shared_cores(static_cast<std::size_t>(g)));
  s.fleet.kinds.front().cpu_cores = cores;
  ServerGroup group;
  group.name = kind.name;
  group.kind = 0;
  group.count = 1;
  group.cpu_cores = cores;
  group.gpus = kind.gpus;
  group.pcie_bytes_per_s = kind.pcie_bytes_per_s;
  group.pcie_latency_s = kind.pcie_latency_s;
  s.fleet.groups = {group};
  FleetModel alone = model;
  alone.share = 1.0;
  alone.service = {model.service[static_cast<std::size_t>(k)]};
  alone.scheduler = {model.scheduler[static_cast<std::size_t>(k)]};
  alone.groups = {0};
  s.fleet.models = {alone};
  // A first guess of one server's share of the load; the capacity search brackets from it.
  int servers = 0;
  for (int g : model.groups) servers += fleet.fleet.groups[static_cast<std::size_t>(g)].count;
  s.arrival.qps = fleet.arrival.qps * model.share / std::max(1, servers);
  return s;
}

std::optional<TuneConfig> as_config(const SchedulerSpec& s) {
  if (s.policy == "static") return TuneConfig{s.batch_size, std::nullopt};
  if (s.policy == "deeprecsched") return TuneConfig{s.batch_size, s.gpu_threshold};
  return std::nullopt;  // another policy: not a point of the search
}

FleetConfigs empty_configs(const Scenario& fleet) {
  return FleetConfigs(fleet.fleet.models.size(), std::vector<std::optional<TuneConfig>>(fleet.fleet.kinds.size()));
}

json configs_json(const Scenario& fleet, const FleetConfigs& configs) {
  json out = json::object();
  for (std::size_t m = 0; m < configs.size(); ++m) {
    json kinds = json::object();
    for (std::size_t k = 0; k < configs[m].size(); ++k)
      if (const auto& c = configs[m][k])
        kinds[fleet.fleet.kinds[k].name] = {{"batch_size", c->batch_size},
                                            {"gpu_threshold", c->gpu_threshold ? json(*c->gpu_threshold) : json(nullptr)}};
    out[fleet.fleet.models[m].name] = kinds;
  }
  return out;
}

// A capacity as the JSON gives it; `searched`: false where it repeats another's (no simulations of its own).
json capacity_json(const FleetCapacity& c, bool searched = true) {
  json points = json::array();
  if (searched)
    for (const auto& p : c.result.points)
    points.push_back({{"qps", p.qps},
                      {"observed_ms", p.observed_ms ? json(*p.observed_ms) : json(nullptr)},
                      {"met", p.met},
                      {"saturated", p.saturated}});
  return {{"max_qps", c.result.max_qps},
          {"found", c.result.found},
          {"note", c.result.note.empty() ? json(nullptr) : json(c.result.note)},
          {"missed_qps", c.result.missed_qps ? json(*c.result.missed_qps) : json(nullptr)},
          {"missed_below_qps", c.result.missed_below_qps ? json(*c.result.missed_below_qps) : json(nullptr)},
          {"stability_limit_qps", c.result.stability_limit_qps ? json(*c.result.stability_limit_qps) : json(nullptr)},
          {"rel_uncertainty", c.rel_uncertainty ? json(*c.rel_uncertainty) : json(nullptr)},
          {"evaluations", searched ? c.result.points.size() : 0},
          {"points", points}};
}

// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string qps_text(double q) {
  char b[32];
  std::snprintf(b, sizeof b, "%.6g", q);
  return b;
}

}  // namespace

std::string fleet_tune_csv_header() { return "stage,model,kind," + tune_csv_header(); }

FleetTunePlan prepare_fleet_tune(const Scenario& fleet, const TuneRequest& request, std::optional<std::uint64_t> slice_queries,
                                 const std::string& scenario_file) {
  if (fleet.format < 2) throw std::logic_error("prepare_fleet_tune: a format-1 scenario (sim/search/tuning.h)");
  if (slice_queries && fleet.arrival.from_trace() && *slice_queries > fleet.arrival.trace_rows)
    throw InputError("--slice-queries", "the trace has only " + std::to_string(fleet.arrival.trace_rows) + " queries, fewer than " +
                                            std::to_string(*slice_queries));
  FleetTunePlan plan;
  bool any_offload = false;
  for (std::size_t m = 0; m < fleet.fleet.models.size(); ++m) {
    const FleetModel& model = fleet.fleet.models[m];
    for (std::size_t k = 0; k < fleet.fleet.kinds.size(); ++k) {
      if (!model.service[k]) continue;  // not hosted on this kind
      FleetPair pair;
      pair.model = static_cast<int>(m);
      pair.kind = static_cast<int>(k);
      pair.slice = slice_of(fleet, pair.model, pair.kind, slice_queries);
      const bool can_offload = fleet.fleet.kinds[k].gpus > 0 && model.service[k]->gpu_curve.has_value();
      any_offload = any_offload || can_offload;
      TuneRequest r = request;
      if (!can_offload) r.thresholds.clear();
      try {
        pair.options = prepare_tune(pair.slice, r, scenario_file);
      } catch (const InputError& e) {
        // The slice is a format-1 scenario: its keys are named as the fleet's.
        std::string where = e.where();
        const std::string cache = "service.embedding_cache.";
        if (slice_queries && where == "run.queries") where = "--slice-queries";
        if (where.rfind(cache, 0) == 0) {
          std::string rest = where.substr(cache.size());
          if (rest == "fraction") rest = "gpu_memory_share";
          where = "models." + std::to_string(m) + "." + cache + rest;
        }
        throw InputError(where, "tuning model \"" + model.name + "\" on one server of kind \"" + fleet.fleet.kinds[k].name +
                                        "\": " + e.expected());
      }
      plan.pairs.push_back(std::move(pair));
    }
  }
  if (!request.thresholds.empty() && !any_offload)
    throw InputError("--thresholds", "no model of the fleet can be offloaded: it needs a server kind with GPUs and a gpu_profile");
  // The costliest fleet: every pair at its ladder's smallest batch size, at the starting rate and at
  // the lowest rate a search may try.
  FleetConfigs smallest = empty_configs(fleet);
  for (const auto& p : plan.pairs)
    smallest[static_cast<std::size_t>(p.model)][static_cast<std::size_t>(p.kind)] = TuneConfig{p.options.batch_ladder.front(), std::nullopt};
  // And the scenario's own schedulers, whose capacity is searched too.
  for (Scenario costliest : {configured_fleet(fleet, smallest), fleet}) {
    check_resources(costliest, request.allow_large);
    costliest.arrival.qps = lowest_searchable_qps(costliest, request.allow_large);
    check_resources(costliest, true);
  }
  return plan;
}

FleetTuneReport run_fleet_tune(const Scenario& fleet, const FleetTunePlan& plan, const TuneRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  FleetTuneReport report;
  report.jobs = request.jobs;
  report.search = request.search;
  report.tuned = report.baseline = empty_configs(fleet);
  report.baseline_capacity.what = "baseline";
  report.given_capacity.what = "given";
  report.tuned_capacity.what = "tuned";
  double given_rel = 0, tuned_rel = 0, baseline_rel = 0;
  FleetConfigs given = empty_configs(fleet);
  bool given_is_search_point = true;
  for (const auto& pair : plan.pairs) {
    const auto m = static_cast<std::size_t>(pair.model), k = static_cast<std::size_t>(pair.kind);
    const std::string model = fleet.fleet.models[m].name, kind = fleet.fleet.kinds[k].name;
    TuneRequest r = request;
    if (request.step) r.step = [&](const std::string& line) { request.step(model + " on " + kind + ": " + line); };
    r.csv_prefix = "pair," + csv_field(model) + "," + csv_field(kind) + ",";
    TuneReport t = run_tune(pair.slice, pair.options, r);
    report.tuned[m][k] = t.result.best.config;
    report.baseline[m][k] = t.result.baseline.config;
    tuned_rel = std::max(tuned_rel, t.result.best.rel_uncertainty);
    baseline_rel = std::max(baseline_rel, t.result.baseline.rel_uncertainty);
    given[m][k] = as_config(fleet.fleet.models[m].scheduler[k]);
    if (given[m][k]) given_rel = std::max(given_rel, ProfileUncertainty(pair.slice, request.precision).relative_error(*given[m][k]));
    else given_is_search_point = false;
    report.evaluations += t.result.evaluations;
    report.csv += t.csv;
    report.pairs.push_back(std::move(t));
  }
  report.tuned_capacity.rel_uncertainty = tuned_rel;
  report.baseline_capacity.rel_uncertainty = baseline_rel;
  CapacityOptions c;
  c.precision = request.precision;
  c.jobs = request.jobs;
  c.allow_large = request.allow_large;
  const RateEvaluator evaluator = isolated_evaluator(c.jobs);
  const auto search = [&](FleetCapacity& out, const Scenario& s, std::optional<double> start) {
    Scenario at = s;
    CapacityOptions co = c;
    if (start && *start > 0) {
      at.arrival.qps = *start;
      co.bracket_factor = 1.25;  // the other configuration's answer is a good first guess
    }
    out.result = find_capacity(at, co, evaluator);
    report.evaluations += static_cast<int>(out.result.points.size());
    report.csv += tune_csv_rows("fleet " + out.what + ",,,", std::nullopt, out.result);
    if (request.step)
      request.step("the fleet, " + out.what + ": " + qps_text(out.result.max_qps) + " qps, " +
                   std::to_string(out.result.points.size()) + " simulations");
  };
  const Scenario baseline_fleet = configured_fleet(fleet, report.baseline), tuned_fleet = configured_fleet(fleet, report.tuned);
  search(report.baseline_capacity, baseline_fleet, std::nullopt);
  search(report.tuned_capacity, tuned_fleet, report.baseline_capacity.result.max_qps);
  if (given_is_search_point && given == report.tuned) {
    report.given_capacity.result = report.tuned_capacity.result;
    report.given_capacity.same_as_tuned = true;
  } else if (given_is_search_point && given == report.baseline) {
    report.given_capacity.result = report.baseline_capacity.result;
    report.given_capacity.same_as_baseline = true;
  } else {
    search(report.given_capacity, fleet, report.tuned_capacity.result.max_qps);
  }
  if (given_is_search_point) report.given_capacity.rel_uncertainty = given_rel;
  report.spread = measure_at_seeds(tuned_fleet, report.tuned_capacity.result.max_qps, request.seeds, c, evaluator, request.step,
                                   "the tuned fleet");
  report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

bool fleet_gain_beyond_noise(const FleetTuneReport& r) {
  if (r.tuned == r.baseline || !(r.tuned_capacity.result.max_qps > 0)) return false;
  TunePoint tuned, baseline;
  tuned.max_qps = r.tuned_capacity.result.max_qps;
  tuned.rel_uncertainty = r.tuned_capacity.rel_uncertainty.value_or(0);
  baseline.max_qps = r.baseline_capacity.result.max_qps;
  baseline.rel_uncertainty = r.baseline_capacity.rel_uncertainty.value_or(0);
  if (!(baseline.max_qps > 0)) return r.spread.ci95(tuned).first > 0;
  return !within_noise(tuned, baseline);
}

json fleet_tune_json(const Scenario& fleet, const FleetTunePlan& plan, const FleetTuneReport& r) {
  json models = json::array();
  for (const auto& m : fleet.fleet.models)
    models.push_back({{"model", m.name}, {"percentile", m.sla.percentile}, {"target_ms", m.sla.target_ms}});
  json path = json::array(), pairs = json::array();
  for (std::size_t i = 0; i < plan.pairs.size(); ++i) {
    const FleetPair& p = plan.pairs[i];
    const std::string model = fleet.fleet.models[static_cast<std::size_t>(p.model)].name;
    const std::string kind = fleet.fleet.kinds[static_cast<std::size_t>(p.kind)].name;
    json entry = {{"model", model}, {"kind", kind}};
    const json report = tune_report_json(p.slice, r.pairs[i]);
    for (const auto& [key, value] : report.items())
      if (key != "scenario" && key != "seed" && key != "engine") entry[key] = value;
    for (const auto& point : r.pairs[i].result.path) {
      json step = {{"model", model}, {"kind", kind}};
      const json point_json = tune_point_json(point);
      for (const auto& [key, value] : point_json.items()) step[key] = value;
      path.push_back(step);
    }
    pairs.push_back(entry);
  }
  TunePoint tuned;
  tuned.max_qps = r.tuned_capacity.result.max_qps;
  tuned.rel_uncertainty = r.tuned_capacity.rel_uncertainty.value_or(0);
  const auto ci = r.spread.ci95(tuned);
  const double base = r.baseline_capacity.result.max_qps, given = r.given_capacity.result.max_qps;
  json given_json = capacity_json(r.given_capacity, !r.given_capacity.same_as_tuned && !r.given_capacity.same_as_baseline);
  given_json["same_as"] = r.given_capacity.same_as_tuned ? json("tuned") : r.given_capacity.same_as_baseline ? json("baseline") : json(nullptr);
  return {{"scenario", fleet.name},
          {"seed", fleet.seed},
          {"search", r.search},
          {"sla", {{"every_model", true}, {"models", models}}},
          {"best", {{"max_qps", tuned.max_qps}, {"ci95_qps", {ci.first, ci.second}}, {"rel_uncertainty", tuned.rel_uncertainty},
                    {"schedulers", configs_json(fleet, r.tuned)}}},
          {"baseline", {{"max_qps", base}, {"rel_uncertainty", r.baseline_capacity.rel_uncertainty.value_or(0)},
                        {"schedulers", configs_json(fleet, r.baseline)}}},
          {"speedup", base > 0 ? json(tuned.max_qps / base) : json(nullptr)},
          {"speedup_over_given", given > 0 ? json(tuned.max_qps / given) : json(nullptr)},
          {"gain_beyond_noise", fleet_gain_beyond_noise(r)},
          {"evaluations", r.evaluations},
          {"path", path},
          {"pairs", pairs},
          {"fleet", {{"baseline", capacity_json(r.baseline_capacity)}, {"given", given_json}, {"tuned", capacity_json(r.tuned_capacity)}}},
          {"seed_spread", {{"seeds", r.spread.seeds}, {"max_qps", r.spread.max_qps}, {"rel_sd", r.spread.rel_sd},
                           {"evaluations", r.spread.evaluations}}},
          {"engine", {{"wall_seconds", r.wall_seconds}, {"jobs", r.jobs}, {"queries_per_evaluation", fleet.run.queries},
                      {"queries_per_slice_evaluation", plan.pairs.empty() ? json(nullptr) : json(plan.pairs.front().slice.run.queries)}}}};
}

namespace {

// `text` padded with spaces to `width` (left-aligned; longer text is kept whole).
std::string padded(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

}  // namespace

std::string fleet_tune_summary(const Scenario& fleet, const FleetTunePlan& plan, const FleetTuneReport& r) {
  char line[200];
  std::string out = "recsim tune: " + fleet.name + " (seed " + std::to_string(fleet.seed) +
                    "), a fleet: each (model, server kind) on one server of the kind, then the whole fleet with every model "
                    "within its own SLA\n";
  std::snprintf(line, sizeof line, "%12s %12s  %-28s %12s %7s  %s\n", "static batch", "static qps", "best", "best qps", "gain",
                "beyond noise");
  out += "  " + padded("model", 16) + " " + padded("kind", 16) + " " + line;
  for (std::size_t i = 0; i < plan.pairs.size(); ++i) {
    const TuneResult& t = r.pairs[i].result;
    char gain[16] = "-";
    if (t.baseline.max_qps > 0) std::snprintf(gain, sizeof gain, "%.2fx", t.best.max_qps / t.baseline.max_qps);
    std::snprintf(line, sizeof line, "%12d %12.6g  ", t.baseline.config.batch_size, t.baseline.max_qps);
    out += "  " + padded(fleet.fleet.models[static_cast<std::size_t>(plan.pairs[i].model)].name, 16) + " " +
           padded(fleet.fleet.kinds[static_cast<std::size_t>(plan.pairs[i].kind)].name, 16) + " " + line +
           padded(tune_config_text(t.best.config), 28);
    std::snprintf(line, sizeof line, " %12.6g %7s  %s\n", t.best.max_qps, gain, gain_beyond_noise(t, r.pairs[i].spread) ? "yes" : "no");
    out += line;
  }
  const double base = r.baseline_capacity.result.max_qps, tuned = r.tuned_capacity.result.max_qps;
  out += "  the fleet's max load: static baseline " + qps_text(base) + " qps; as given " + qps_text(r.given_capacity.result.max_qps) +
         " qps" + (r.given_capacity.same_as_tuned ? " (the tuned configuration)" : r.given_capacity.same_as_baseline ? " (the baseline)" : "") +
         "; tuned " + qps_text(tuned) + " qps";
  TunePoint p;
  p.max_qps = tuned;
  p.rel_uncertainty = r.tuned_capacity.rel_uncertainty.value_or(0);
  const auto ci = r.spread.ci95(p);
  std::snprintf(line, sizeof line, " (95%% interval %.6g - %.6g)", ci.first, ci.second);
  out += line;
  if (base > 0) {
    std::snprintf(line, sizeof line, ", %.2fx the baseline", tuned / base);
    out += line;
  }
  out += "\n";
  for (const FleetCapacity* c : {&r.baseline_capacity, &r.given_capacity, &r.tuned_capacity})
    if (c->result.missed_below_qps && !c->same_as_tuned && !c->same_as_baseline)
      out += "  note, the fleet " + c->what + ": " + missed_below_text(*c->result.missed_below_qps) + "\n";
  if (!(r.tuned == r.baseline) && tuned > 0)
    out += fleet_gain_beyond_noise(r) ? "  the fleet's gain over the baseline is beyond noise\n"
                                      : "  the fleet's gain over the baseline is within noise: none can be claimed\n";
  std::snprintf(line, sizeof line, "  %d simulations (and %d for the other seeds) in %.2f s\n", r.evaluations, r.spread.evaluations,
                r.wall_seconds);
  return out + line;
}

}  // namespace recsim
