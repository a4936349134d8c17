#include "run_level.h"

#include "fuzz_support.h"

#include "sim/engine/simulation.h"
#include "sim/metrics/run_results.h"
#include "sim/planning/fleet_plan.h"
#include "sim/planning/fleet_sizing.h"
#include "sim/planning/plan_spec.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/search/capacity_search.h"
#include "workloads/input_error.h"
#include "workloads/strict_json.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <thread>
#include <vector>

namespace recsim::fuzz {
namespace {

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz run: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

bool latency_ok(double ms) { return std::isfinite(ms) && ms >= 0.0; }

// What no run may report: checked in the child, a violation is a finding.
void check_results(const RunResults& r) {
  if (!std::isfinite(r.throughput_qps) || r.throughput_qps < 0) finding("throughput " + std::to_string(r.throughput_qps));
  if (r.latency_ms) {
    const auto& l = *r.latency_ms;
    for (const double v : {l.mean, l.p50, l.p90, l.p95, l.p99, l.p999, l.max})
      if (!latency_ok(v)) finding("a latency of " + std::to_string(v) + " ms");
    if (!(l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= l.max)) finding("latency percentiles out of order");
  }
  if (r.sla_ci95_ms) {
    const auto [low, high] = *r.sla_ci95_ms;
    if (!latency_ok(low) || !(low <= high) || (r.latency_ms && high > r.latency_ms->max * (1 + 1e-9)))
      finding("an SLA interval [" + std::to_string(low) + ", " + std::to_string(high) + "] outside the run's latencies");
  }
}

}  // namespace

namespace {

enum class Mode { run, capacity, plan };

// The input's first line: "#capacity", "#plan" or "#plan {...}" (keys merged into the fuzz plan).
Mode read_mode(std::string& text, nlohmann::json& plan_patch) {
  if (text.rfind("#capacity\n", 0) == 0) {
    text = text.substr(10);
    return Mode::capacity;
  }
  if (text.rfind("#plan", 0) != 0 || (text.size() > 5 && text[5] != '\n' && text[5] != ' ')) return Mode::run;
  const auto end = text.find('\n');
  const std::string patch = end == std::string::npos ? text.substr(5) : text.substr(5, end - 5);
  text = end == std::string::npos ? "" : text.substr(end + 1);
  if (patch.find_first_not_of(' ') != std::string::npos) plan_patch = parse_json_strict(patch, "#plan");
  return Mode::plan;
}

// The plan the fuzzer makes of a fleet: the fleet's own rate as the one target, the fewest servers,
// short probes and verifications; `patch` (from the input) changes any of it.
PlanSpec fuzz_plan(const nlohmann::json& fleet, const Scenario& s, const nlohmann::json& patch) {
  nlohmann::json plan = {{"fleet", "fuzzed.json"},
                         {"objective", "servers"},
                         {"targets", nlohmann::json::array({{{"qps", s.arrival.qps}}})},
                         {"capacity", {{"queries", 1000}, {"precision", 0.2}}},
                         {"verify", {{"queries", 1000}, {"max_attempts", 3}}}};
  if (!patch.is_null()) plan.merge_patch(patch);
  return plan_spec_from(plan, fleet, "fuzzed.json", RECSIM_SOURCE_DIR "/scenarios/models", "plan");
}

double work(const Scenario& s) {
  const ResourceEstimate e = estimate_resources(s);
  return e.requests + e.key_lookups + e.periodic_events;
}

// The plan's fleet checked as `recsim plan` checks it (check_plan_resources), and its simulated
// work bounded above: each probe's search at most 20 runs, each at most as long as its run at the
// lowest rate it may try; each verification max_attempts times.
double checked_plan_work(const PlanSpec& plan) {
  const PlanScenarios all = plan_scenarios(plan);
  double total = 0;
  for (const Scenario& v : all.verifications) {
    check_resources(v, false);
    total += plan.max_attempts * work(v);
  }
  for (const Scenario& p : all.probes) {
    check_resources(p, false);
    Scenario slowest = p;
    slowest.arrival.qps = lowest_searchable_qps(p, false);
    check_resources(slowest, true);
    total += 20 * std::max(work(p), work(slowest));
  }
  return total;
}

// In the child: the plan's report holds what a plan can be.
void check_plan(const PlanSpec& plan, const PlanReport& r) {
  for (const auto& c : r.capacities)
    if (!std::isfinite(c.max_qps) || c.max_qps < 0) finding("a capacity of " + std::to_string(c.max_qps) + " qps");
  for (const auto& f : r.fleets) {
    if (f.attempts.empty() || f.attempts.size() > static_cast<std::size_t>(plan.max_attempts)) finding("a fleet with no or too many attempts");
    if (f.servers < 1 || !std::isfinite(f.objective_total) || f.objective_total < 0) finding("a fleet of " + std::to_string(f.servers) + " servers");
    for (const auto& p : f.pools)
      if (p.servers < 1) finding("an empty pool");
    check_results(f.verification);
    if (f.verified)
      for (const auto& m : f.verification.datacenter->models)
        if (!m.sla.met) finding("a verified fleet whose model " + m.name + " misses its SLA");
  }
}

}  // namespace

RunOutcome run_level(const std::string& input, double budget_seconds) {
  std::string text = input;
  Scenario s;
  PlanSpec plan;
  Mode mode = Mode::run;
  try {
    nlohmann::json plan_patch;
    mode = read_mode(text, plan_patch);
    const auto [json_text, overrides] = split_overrides(text);
    nlohmann::json document = parse_json_strict(json_text, "scenario.json");
    for (const auto& o : overrides) apply_override(document, o);
    s = parse_scenario(document, RECSIM_SOURCE_DIR "/scenarios/models");
    if (mode == Mode::plan) {
      plan = fuzz_plan(document, s, plan_patch);
      if (checked_plan_work(plan) > 10 * kMaxFuzzWork) return RunOutcome::too_large;
    }
    // Short runs: the fuzzer looks for what breaks a run, not for long ones (which the estimate bounds).
    const bool key_level = s.fleet.embedding_cache() && s.fleet.embedding_cache()->mode == EmbeddingCacheSpec::Mode::keys;
    s.run.queries = std::min<std::uint64_t>(s.run.queries, key_level ? kMaxFuzzKeyLevelQueries : kMaxFuzzQueries);
    s.run.warmup_queries = std::min<std::uint64_t>(s.run.warmup_queries, s.run.queries / 10);
    check_resources(s, false);
    // Runs the estimate allows but that are large for a fuzzer (a query of 10^5 requests, or 10^7
    // update keys, say) are not run: the budget below is for short runs, and a finding is a run
    // slower than its estimate.
    // (A capacity search's slowest run, at the lowest rate it may try, is its longest.)
    Scenario slowest = s;
    if (mode == Mode::capacity) {
      slowest.arrival.qps = lowest_searchable_qps(s, false);
      check_resources(slowest, true);  // what no machine can do at the lowest rate the search may try
    }
    for (const Scenario* at : {&s, &slowest})
      if (work(*at) > kMaxFuzzWork) return RunOutcome::too_large;
  } catch (const InputError&) {
    return RunOutcome::input_error;
  } catch (const std::exception& e) {
    finding(std::string("not an InputError before the run: ") + e.what());
  }

  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) finding("fork failed");
  if (pid == 0) {
    ::setpgid(0, 0);  // its own group: a run past its budget is killed with the processes it started
    try {
      if (mode == Mode::plan) {
        PlanOptions o;
        check_plan(plan, make_plan(plan, o));
      } else if (mode == Mode::capacity) {
        CapacityOptions o;
        o.precision = 0.2;
        o.max_evaluations = 12;
        const CapacityResult r = find_capacity(s, o, isolated_evaluator(1));
        if (!std::isfinite(r.max_qps) || r.max_qps < 0) finding("capacity " + std::to_string(r.max_qps));
        if (r.stability_limit_qps && r.found && r.max_qps >= *r.stability_limit_qps) finding("capacity at or above the stability limit");
      } else {
        check_results(simulate(s));
      }
    } catch (const InputError&) {
      // found only once the run was built: still the one-line exit-2 answer
    } catch (const PoolSizingError&) {
      // a plan no allowed kind can meet (exit 1 with its reason)
    } catch (const std::exception& e) {
      finding(std::string("the run failed: ") + e.what());
    }
    std::fflush(nullptr);
    ::_exit(0);
  }
  ::setpgid(pid, pid);  // (also here: whichever runs first)
  // A capacity search runs up to 12 simulations, each in its own process; a plan a capacity search
  // per model and kind, and its verifications.
  const double budget = budget_seconds * (mode == Mode::plan ? 12 : mode == Mode::capacity ? 4 : 1);
  const auto started = std::chrono::steady_clock::now();
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (done < 0 && errno != EINTR) finding("waitpid failed");
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > budget) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      finding("the run exceeded its budget of " + std::to_string(budget) + " s of wall time (a hang, or work the estimate missed)");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (WIFSIGNALED(status)) finding("the run died of signal " + std::to_string(WTERMSIG(status)));
  if (WEXITSTATUS(status) != 0) finding("the run exited " + std::to_string(WEXITSTATUS(status)));
  return RunOutcome::ran;
}

}  // namespace recsim::fuzz
