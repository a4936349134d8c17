#include "run_level.h"

#include "fuzz_support.h"

#include "sim/engine/simulation.h"
#include "sim/metrics/run_results.h"
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

RunOutcome run_level(const std::string& input, double budget_seconds) {
  std::string text = input;
  bool capacity = false;
  if (text.rfind("#capacity\n", 0) == 0) {
    capacity = true;
    text = text.substr(10);
  }
  const auto [json_text, overrides] = split_overrides(text);
  Scenario s;
  try {
    nlohmann::json document = parse_json_strict(json_text, "scenario.json");
    for (const auto& o : overrides) apply_override(document, o);
    s = parse_scenario(document, RECSIM_SOURCE_DIR "/scenarios/models");
    // Short runs: the fuzzer looks for what breaks a run, not for long ones (which the estimate bounds).
    const bool key_level = s.service.embedding_cache && s.service.embedding_cache->mode == EmbeddingCacheSpec::Mode::keys;
    s.run.queries = std::min<std::uint64_t>(s.run.queries, key_level ? kMaxFuzzKeyLevelQueries : kMaxFuzzQueries);
    s.run.warmup_queries = std::min<std::uint64_t>(s.run.warmup_queries, s.run.queries / 10);
    check_resources(s, false);
    // Runs the estimate allows but that are large for a fuzzer (a query of 10^5 requests, or 10^7
    // update keys, say) are not run: the budget below is for short runs, and a finding is a run
    // slower than its estimate.
    // (A capacity search's slowest run, at the lowest rate it may try, is its longest.)
    Scenario slowest = s;
    if (capacity) {
      slowest.arrival.qps = lowest_searchable_qps(s, false);
      check_resources(slowest, true);  // what no machine can do at the lowest rate the search may try
    }
    for (const Scenario* at : {&s, &slowest}) {
      const ResourceEstimate e = estimate_resources(*at);
      if (e.requests + e.key_lookups + e.periodic_events > kMaxFuzzWork) return RunOutcome::too_large;
    }
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
      if (capacity) {
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
    } catch (const std::exception& e) {
      finding(std::string("the run failed: ") + e.what());
    }
    std::fflush(nullptr);
    ::_exit(0);
  }
  ::setpgid(pid, pid);  // (also here: whichever runs first)
  // A capacity search runs up to 12 simulations, each in its own process.
  const double budget = budget_seconds * (capacity ? 4 : 1);
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
