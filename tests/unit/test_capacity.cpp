// The capacity search: bracketing and bisection on a synthetic monotone response with a known answer,
// the M/M/c closed form (the rate whose sojourn-time p95 equals the target), the batch-means
// interval on the percentile, the early stop once the SLA is missed for certain, and the `recsim
// capacity` command.
#include "sim/engine/isolated_run.h"
#include "sim/metrics/run_metrics.h"
#include "sim/scenario/query_sizes.h"
#include "sim/search/capacity_search.h"
#include "sim/search/stability_limit.h"
#include "support/cli_runner.h"
#include "support/queueing_formulas.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/poisson_arrivals.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

using namespace recsim;
using namespace recsim::test;

namespace {

// A fake evaluator: the observed percentile is 1 / (capacity - qps) seconds, saturated at or above
// `capacity`; met when <= the scenario's target.
RateEvaluator synthetic(double capacity, int* calls) {
  return [capacity, calls](const std::vector<Scenario>& batch) {
    ++*calls;
    std::vector<RunResults> out;
    for (const auto& s : batch) {
      RunResults r;
      const double q = s.arrival.qps;
      r.saturated = q >= capacity;
      if (!r.saturated) r.sla_observed_ms = 1e3 / (capacity - q);
      r.sla_met = !r.saturated && *r.sla_observed_ms <= s.fleet.models.front().sla.target_ms;
      out.push_back(r);
    }
    return out;
  };
}

Scenario synthetic_scenario(double start_qps, double target_ms) {
  Scenario s = scenario_from(mmc_document(1, start_qps, 1.0, 1000, 0));
  s.fleet.models.front().sla.target_ms = target_ms;
  return s;
}

}  // namespace

TEST_CASE("capacity search brackets and bisects to the precision", "[capacity]") {
  // Capacity 1000 qps, target 10 ms: met while 1/(1000 - q) <= 0.01, i.e. q <= 900.
  const double answer = 900.0;
  for (int jobs : {1, 3}) {
    for (double start : {10.0, 900.0, 5000.0}) {
      CAPTURE(jobs, start);
      int calls = 0;
      CapacityOptions o;
      o.jobs = jobs;
      o.precision = 0.001;
      const auto r = find_capacity(synthetic_scenario(start, 10.0), o, synthetic(1000.0, &calls));
      REQUIRE(r.found);
      CHECK(r.max_qps <= answer);
      CHECK(*r.missed_qps > answer);
      CHECK((*r.missed_qps - r.max_qps) / r.max_qps <= 0.001);
      CHECK(calls * jobs >= static_cast<int>(r.points.size()));  // each call evaluates `jobs` rates at once
      for (const auto& p : r.points) CHECK(p.met == (p.qps <= answer));
    }
  }
  // Three rates per round narrow the bracket fourfold, one rate twofold: fewer rounds.
  int serial = 0, parallel = 0;
  CapacityOptions o;
  o.precision = 1e-4;
  find_capacity(synthetic_scenario(100, 10.0), o, synthetic(1000.0, &serial));
  o.jobs = 3;
  find_capacity(synthetic_scenario(100, 10.0), o, synthetic(1000.0, &parallel));
  CHECK(parallel < serial);
}

TEST_CASE("capacity search: the same answer, points and evaluations whatever the jobs", "[capacity][jobs]") {
  // The response is not monotone near the answer (a met rate above a missed one, as sampling noise
  // can make it), so a search whose path depended on the jobs would land differently.
  const RateEvaluator bumpy = [](const std::vector<Scenario>& batch) {
    std::vector<RunResults> out;
    for (const auto& s : batch) {
      RunResults r;
      const double q = s.arrival.qps;
      r.sla_observed_ms = q < 880 ? 5.0 : (q < 890 ? 11.0 : (q < 905 ? 9.0 : 12.0));
      r.sla_met = *r.sla_observed_ms <= s.fleet.models.front().sla.target_ms;
      out.push_back(r);
    }
    return out;
  };
  for (double start : {10.0, 897.0, 5000.0}) {
    CAPTURE(start);
    CapacityOptions o;
    o.precision = 1e-4;
    const auto serial = find_capacity(synthetic_scenario(start, 10.0), o, bumpy);
    CHECK(serial.speculative == 0);
    for (int jobs : {2, 3, 7, 16}) {
      CAPTURE(jobs);
      o.jobs = jobs;
      const auto r = find_capacity(synthetic_scenario(start, 10.0), o, bumpy);
      CHECK(r.max_qps == serial.max_qps);
      CHECK(r.missed_qps == serial.missed_qps);
      REQUIRE(r.points.size() == serial.points.size());
      for (std::size_t i = 0; i < r.points.size(); ++i) CHECK(r.points[i].qps == serial.points[i].qps);
    }
  }
  // And on real simulations, through the command: byte-identical answers for 1 and 3 jobs.
  TempDir dir;
  auto mmc = mmc_document(4, 2000.0, 1.0, 4000, 400);
  mmc["sla"]["target_ms"] = 5.0;
  const auto scenario = dir.write_json("mmc.json", mmc);
  nlohmann::json answers[2];
  int k = 0;
  for (const char* jobs : {"1", "3"}) {
    const auto out = dir.path() + "/capacity-" + jobs + ".json";
    REQUIRE(run_recsim({"capacity", scenario, "--out", out, "--jobs", jobs, "--quiet"}).status == 0);
    auto j = nlohmann::json::parse(std::ifstream(out));
    j.erase("engine");
    j.erase("provenance");  // its command line names the output file and the jobs
    answers[k++] = j;
  }
  CHECK(answers[0].dump() == answers[1].dump());
}

TEST_CASE("capacity search says when no rate meets the SLA, or every rate does", "[capacity]") {
  int calls = 0;
  // 1/(capacity - q) > 0.5 ms for every q >= 0 when capacity < 2000: target 0.5 ms is unreachable.
  auto r = find_capacity(synthetic_scenario(100, 0.5), {}, synthetic(1000.0, &calls));
  CHECK_FALSE(r.found);
  CHECK(r.max_qps == 0.0);
  CHECK(r.note.find("the target is below the latency of a lone query") != std::string::npos);

  const RateEvaluator always_met = [](const std::vector<Scenario>& batch) {
    std::vector<RunResults> out(batch.size());
    for (auto& r : out) {
      r.sla_observed_ms = 1.0;
      r.sla_met = true;
    }
    return out;
  };
  r = find_capacity(synthetic_scenario(100, 10.0), {}, always_met);
  // Met at every rate, yet bounded: the analytic stability limit closes the bracket from above.
  REQUIRE(r.stability_limit_qps);
  CHECK(r.found);
  CHECK(r.max_qps < *r.stability_limit_qps);
  CHECK(*r.missed_qps == *r.stability_limit_qps);
  // Where no limit is known (a policy whose CPU work it does not model), nothing bounds it.
  Scenario unbounded = synthetic_scenario(100, 10.0);
  for (auto& scheduler : unbounded.fleet.models.front().scheduler) scheduler.policy = "gpu-only";
  r = find_capacity(unbounded, {}, always_met);
  CHECK_FALSE(r.stability_limit_qps);
  CHECK_FALSE(r.found);
  CHECK(r.note == "the SLA is met at every rate tried");
}

TEST_CASE("capacity search looks above the misses when no low load meets the SLA", "[capacity][monotone]") {
  // Met only from 400 to 900 qps: below 400 the percentile is 20 ms (as a fleet whose balancer
  // sends more queries to its faster servers as queues grow can miss an SLA at low load), above 900
  // the queue's 1 / (1000 - q) exceeds 10 ms. The scenario's analytic limit is 1,000 qps.
  const auto low_misses = [](bool* above_start, double start) {
    return [above_start, start](const std::vector<Scenario>& batch) {
      std::vector<RunResults> out;
      for (const auto& s : batch) {
        RunResults r;
        const double q = s.arrival.qps;
        if (above_start && q > start) *above_start = true;
        r.saturated = q >= 1000;
        if (!r.saturated) r.sla_observed_ms = q < 400 ? 20.0 : 1e3 / (1000 - q);
        r.sla_met = !r.saturated && *r.sla_observed_ms <= 10.0;
        out.push_back(r);
      }
      return out;
    };
  };
  Scenario bounded = synthetic_scenario(100, 10.0);
  Scenario unbounded = bounded;  // a policy whose CPU work the analytic limit does not model
  for (auto& scheduler : unbounded.fleet.models.front().scheduler) scheduler.policy = "gpu-only";
  for (const Scenario* scenario : {&bounded, &unbounded}) {
    CAPTURE(scenario == &bounded);
    CapacityOptions o;
    o.precision = 0.001;
    bool looked_above = false;
    const auto serial = find_capacity(*scenario, o, low_misses(&looked_above, 100));
    CHECK(looked_above);
    REQUIRE(serial.found);
    CHECK(serial.note.empty());
    CHECK(serial.max_qps <= 900);
    CHECK(*serial.missed_qps > 900);
    CHECK((*serial.missed_qps - serial.max_qps) / serial.max_qps <= 0.001);
    // The misses below the answer are reported: the highest of them, from the step up past 100 qps.
    REQUIRE(serial.missed_below_qps);
    CHECK(*serial.missed_below_qps == 200);
    for (const auto& p : serial.points) CHECK(p.met == (p.qps >= 400 && p.qps <= 900));
    CHECK(serial.points.size() < 60);
    // The same path whatever the jobs.
    for (int jobs : {2, 3, 7}) {
      CAPTURE(jobs);
      o.jobs = jobs;
      const auto r = find_capacity(*scenario, o, low_misses(nullptr, 0));
      CHECK(r.max_qps == serial.max_qps);
      CHECK(r.missed_below_qps == serial.missed_below_qps);
      REQUIRE(r.points.size() == serial.points.size());
      for (std::size_t i = 0; i < r.points.size(); ++i) CHECK(r.points[i].qps == serial.points[i].qps);
    }
  }
  // Where the search meets the SLA on its way down, it does not look below the answer: the usual,
  // monotone case costs no more runs, and nothing says a lower load misses.
  CapacityOptions o;
  o.precision = 0.001;
  const auto down = find_capacity(synthetic_scenario(5000, 10.0), o, low_misses(nullptr, 0));
  REQUIRE(down.found);
  CHECK(down.max_qps <= 900);
  CHECK(down.max_qps > 899);
  CHECK_FALSE(down.missed_below_qps);
  // Looking above ends at the analytic limit when every rate misses: no capacity, and why; the
  // bracket's upper end is the lowest rate missed, as before the search looked above.
  int calls = 0;
  const auto none = find_capacity(synthetic_scenario(100, 0.5), {}, synthetic(1000.0, &calls));
  CHECK_FALSE(none.found);
  CHECK(none.max_qps == 0.0);
  double highest = 0, lowest = 1e300;
  for (const auto& p : none.points) {
    highest = std::max(highest, p.qps);
    lowest = std::min(lowest, p.qps);
  }
  CHECK(highest == Approx(1000 / 1.01));
  REQUIRE(none.missed_qps);
  CHECK(*none.missed_qps == lowest);
  CHECK(none.note.rfind("the SLA is missed at every rate tried, from ", 0) == 0);
  // The climb counts against the evaluation budget.
  CapacityOptions short_budget;
  short_budget.max_evaluations = 6;
  const auto spent = find_capacity(synthetic_scenario(100, 10.0), short_budget, low_misses(nullptr, 0));
  CHECK_FALSE(spent.found);
  CHECK(spent.points.size() == 6);
  CHECK(spent.points.back().qps > 100);  // it had begun to climb
  CHECK(spent.note == "evaluation budget spent before the SLA was bracketed");
  // A screened search (the tune's climb) stops at its first miss at or below the load to beat, and
  // does not look above, even where its first rate is already the lowest it would try (a start far
  // above the analytic limit: the first rate is the limit's, the next one down below the lowest).
  CapacityOptions screen;
  screen.floor = 1000;
  const auto screened = find_capacity(synthetic_scenario(1e9, 10.0), screen, low_misses(nullptr, 0));
  CHECK(screened.screened);
  CHECK_FALSE(screened.found);
  CHECK(screened.points.size() == 1);
}

TEST_CASE("capacity of an M/M/c queue matches the closed-form p95 sojourn time", "[capacity][queueing]") {
  // c = 4 cores, 1 ms exponential service, p95 of the sojourn time <= 4 ms. The exact answer is the
  // rate whose M/M/4 p95 equals 4 ms.
  const int c = 4;
  const double mu = 1000.0, target_s = 4e-3;
  double lo = 1.0, hi = c * mu * (1 - 1e-9);
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (mmc_sojourn_quantile(c, mid, mu, 0.95) <= target_s ? lo : hi) = mid;
  }
  const double exact = lo;
  auto doc = mmc_document(c, 1000.0, 1.0, 400000, 20000, 3);
  doc["sla"]["target_ms"] = target_s * 1e3;
  CapacityOptions o;
  o.jobs = 2;
  o.precision = 0.005;
  const auto r = find_capacity(scenario_from(doc), o, isolated_evaluator(2));
  REQUIRE(r.found);
  INFO("exact " << exact << " qps, found " << r.max_qps << " .. " << *r.missed_qps);
  CHECK(r.max_qps == Approx(exact).epsilon(0.01));
  // Every evaluation below the answer met it, and above it missed, by more than the percentile's
  // sampling noise.
  for (const auto& p : r.points) {
    if (p.qps < exact * 0.97) CHECK(p.met);
    if (p.qps > exact * 1.03) CHECK_FALSE(p.met);
  }
}

TEST_CASE("capacity of a recorded Poisson trace, its time axis scaled, matches the M/M/1 closed form", "[capacity][trace]") {
  // 60,000 arrivals recorded at 300 qps (exponential gaps), size 1; 1 ms exponential service on one
  // core; p95 sojourn <= 10 ms. M/M/1's sojourn is exponential with rate mu - lambda, so the answer
  // is lambda = 1000 - ln(20) / 0.010 = 700.4 qps: the search replays the trace faster by scaling
  // its time axis, and finds it.
  TempDir dir;
  std::string rows;
  Rng rng = make_stream(9, StreamId::arrivals);
  PoissonArrivals gaps(300.0, std::move(rng));
  double t = 0;
  for (int i = 0; i < 60000; ++i) {
    t += gaps.next_gap();
    rows += std::to_string(t * 1e3);
    rows += ",1\n";
  }
  auto doc = mmc_document(1, 1.0, 1.0, 60000, 6000, 5);
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", dir.write("poisson.csv", rows)}}}};
  doc["sla"]["target_ms"] = 10;
  const Scenario recorded = scenario_from(doc);
  CHECK(recorded.arrival.qps == Approx(300.0).epsilon(0.01));  // the recorded rate, unless given
  CHECK(recorded.arrival.time_scale() == 1.0);
  // Replayed at twice the rate: the same queries in half the time.
  doc["workload"]["arrival"]["qps"] = 2 * recorded.arrival.trace_recorded_qps;
  const auto twice = simulate_isolated(scenario_from(doc));
  CHECK(twice.throughput_qps == Approx(2 * recorded.arrival.trace_recorded_qps).epsilon(0.02));
  doc["workload"]["arrival"].erase("qps");
  CapacityOptions o;
  o.precision = 0.01;
  const auto r = find_capacity(scenario_from(doc), o, isolated_evaluator(2));
  REQUIRE(r.found);
  const double exact = 1000.0 - std::log(20.0) / 0.010;
  INFO("exact " << exact << " qps, found " << r.max_qps);
  CHECK(r.max_qps == Approx(exact).epsilon(0.03));
  // The command line takes the trace too.
  const auto cli = run_recsim({"capacity", dir.write_json("s.json", doc), "--precision", "0.05", "--quiet"});
  CHECK(cli.status == 0);
  // And tune: its no-splitting baseline is the largest query in the trace.
  std::string sized;
  for (int i = 0; i < 4000; ++i) {
    sized += std::to_string(i);
    sized += ',';
    sized += std::to_string(1 + i % 8);
    sized += '\n';
  }
  doc["workload"]["arrival"]["file"] = dir.write("sized.csv", sized);
  doc["run"] = {{"queries", 4000}, {"warmup_queries", 400}};
  const auto tune = run_recsim({"tune", dir.write_json("sized.json", doc), "--batches", "2,4", "--precision", "0.05", "--quiet",
                                "--out", dir.file("tune.json")});
  REQUIRE(tune.status == 0);
  const auto tuned = nlohmann::json::parse(read_file(dir.file("tune.json")));
  CHECK(tuned["baseline"]["batch_size"] == 8);
  CHECK(tuned["best"]["max_qps"].get<double>() > 0);
}

TEST_CASE("batch-means 95% interval of the SLA percentile covers the exact M/M/c value", "[capacity][ci]") {
  // M/M/2 at 70% load: the exact p95 sojourn time; count how often the interval covers it.
  const int c = 2;
  const double lambda = 1400.0, mu = 1000.0;
  const double exact_ms = mmc_sojourn_quantile(c, lambda, mu, 0.95) * 1e3;
  int covered = 0, runs = 24;
  double width = 0;
  for (int seed = 1; seed <= runs; ++seed) {
    const auto r = simulate_isolated(scenario_from(mmc_document(c, lambda, 1.0, 60000, 2000, seed)));
    REQUIRE(r.sla_ci95_ms.has_value());
    CHECK(r.sla_ci95_ms->first <= *r.sla_observed_ms);
    CHECK(*r.sla_observed_ms <= r.sla_ci95_ms->second);
    covered += r.sla_ci95_ms->first <= exact_ms && exact_ms <= r.sla_ci95_ms->second;
    width += (r.sla_ci95_ms->second - r.sla_ci95_ms->first) / exact_ms;
  }
  INFO("covered " << covered << " of " << runs << ", mean relative width " << width / runs);
  CHECK(covered >= 19);          // 95% nominal; at least 80% of 24
  CHECK(width / runs < 0.15);    // and informative
  // Too short a run for 20 batches of 50: no interval.
  const auto short_run = simulate_isolated(scenario_from(mmc_document(c, lambda, 1.0, 900, 0)));
  CHECK_FALSE(short_run.sla_ci95_ms.has_value());
}

TEST_CASE("the percentile's interval never leaves the run's own latencies", "[capacity][ci]") {
  // 19 batches of 50 queries at 1 ms and one at 1 s: the batches' p95s are 19 × 1 ms and 1 × 1 s,
  // so the symmetric interval is p95 ± 2.093 × 223.4 / √20 ≈ ± 104.6 ms around the run's 1 ms p95:
  // unclamped its low end is about -104 ms.
  RunMetrics m(1000);
  m.measured_arrival(0.0);
  for (int i = 0; i < 950; ++i) m.measured_completion(0.0, 0.0, 0.001);
  for (int i = 0; i < 50; ++i) m.measured_completion(0.0, 0.0, 1.0);
  RunResults r;
  m.summarise(2.0, 95, 10, r);
  REQUIRE(r.sla_ci95_ms.has_value());
  CHECK(*r.sla_observed_ms == Approx(1.0).epsilon(1e-3));
  CHECK(r.sla_ci95_ms->first == m.latency().min() * 1e3);  // clamped to the smallest latency
  // sd of nineteen 1s and one 1000: 999 × sqrt(0.05 × 0.95 × 20/19) = 999 × sqrt(0.05).
  CHECK(r.sla_ci95_ms->second == Approx(1.0 + 2.093024 * 999.0 * std::sqrt(0.05) / std::sqrt(20.0)).epsilon(2e-3));
}

TEST_CASE("recsim capacity writes the contract's JSON, and bad input exits 2", "[cli][capacity]") {
  TempDir dir;
  auto doc = nlohmann::json::parse(base_scenario_text());
  doc["run"] = {{"queries", 20000}, {"warmup_queries", 1000}};
  const auto scenario = dir.write_json("s.json", doc);
  const auto out = dir.file("c.json");
  const auto r = run_recsim({"capacity", scenario, "--out", out, "--jobs", "2", "--precision", "0.02",
                             "--set", "sla.target_ms=5"});
  REQUIRE(r.status == 0);
  CHECK(r.out.find("max load under SLA") != std::string::npos);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["max_qps"].get<double>() > 0);
  CHECK(j["sla"]["target_ms"] == 5);
  CHECK(j["evaluations"] == j["points"].size());
  for (const auto& p : j["points"]) {
    CHECK(p["qps"].is_number());
    CHECK(p["met"].is_boolean());
    if (p["met"].get<bool>()) CHECK(p["observed_ms"].get<double>() <= 5.0);
    if (p["qps"].get<double>() <= j["max_qps"].get<double>()) CHECK(p["met"] == true);
  }
  CHECK((j["missed_qps"].get<double>() - j["max_qps"].get<double>()) / j["max_qps"].get<double>() <= 0.02);

  // A trace whose arrivals all come at once has no rate to vary.
  const auto trace = dir.write("t.csv", "0,1\n0,1\n");
  auto tdoc = doc;
  tdoc["workload"] = {{"arrival", {{"process", "trace"}, {"file", trace}}}};
  tdoc["run"] = nlohmann::json::object();
  const auto bad = run_recsim({"capacity", dir.write_json("t.json", tdoc), "--out", dir.file("x.json")});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: workload.arrival.file: recsim capacity varies the arrival rate, and this trace's arrivals all come at time 0\n");
  tdoc["workload"]["arrival"]["qps"] = 10;
  CHECK(run_recsim({"run", dir.write_json("t.json", tdoc)}).err ==
        "recsim: error: workload.arrival.qps: the trace's arrivals all come at time 0: it has no rate to scale\n");
  CHECK_FALSE(file_exists(dir.file("x.json")));
  CHECK(run_recsim({"capacity", scenario, "--jobs", "0"}).status == 2);
  CHECK(run_recsim({"capacity", scenario, "--precision", "2"}).status == 2);
}

TEST_CASE("a run watching its SLA stops once it is missed for certain, with the full run's verdict", "[capacity][early]") {
  SECTION("the count: n = 100 at p95 allows 5 latencies beyond the target's bin") {
    RunMetrics m(100);
    m.watch_sla(95, 0.010);
    m.measured_arrival(0.0);
    for (int i = 0; i < 90; ++i) m.measured_completion(0.0, 0.0, 0.005);
    m.measured_completion(0.0, 0.0, 0.010);  // at the target: not beyond it
    for (int i = 0; i < 5; ++i) m.measured_completion(0.0, 0.0, 0.020);
    CHECK_FALSE(m.sla_missed_for_certain());
    m.measured_completion(0.0, 0.0, 0.020);
    CHECK(m.sla_missed_for_certain());
    // Whatever the remaining 3 are, the 95th smallest of the 100 is beyond the target.
    for (int i = 0; i < 3; ++i) m.measured_completion(0.0, 0.0, 0.001);
    CHECK(m.latency().percentile(95) > 0.010);
  }
  SECTION("an overloaded M/M/2 stops early and misses; the full run misses too") {
    Scenario s = scenario_from(mmc_document(2, 1900.0, 1.0, 40000, 1000));
    s.fleet.models.front().sla.target_ms = 3.0;
    SimulationOptions watch;
    watch.stop_when_sla_missed = true;
    const auto early = simulate_isolated(s, watch);
    const auto full = simulate_isolated(s);
    CHECK_FALSE(early.stopped_early.empty());
    CHECK_FALSE(early.sla_met);
    CHECK_FALSE(early.sla_observed_ms.has_value());
    CHECK(early.arrived < full.arrived);
    CHECK(full.stopped_early.empty());
    CHECK_FALSE(full.sla_met);
    CHECK(*full.sla_observed_ms > 3.0);
  }
  SECTION("a run that meets its SLA is not cut short") {
    Scenario s = scenario_from(mmc_document(2, 1000.0, 1.0, 20000, 1000));
    s.fleet.models.front().sla.target_ms = 10.0;
    SimulationOptions watch;
    watch.stop_when_sla_missed = true;
    const auto r = simulate_isolated(s, watch);
    CHECK(r.stopped_early.empty());
    CHECK(r.sla_met);
    CHECK(r.completed == 20000);
  }
}

TEST_CASE("a large fleet of lightly used servers is not saturated by its noisiest server", "[capacity][saturation]") {
  // 1,000 one-core servers at 60% load, queries routed at random (Poisson per server) with
  // heavy-tailed sizes, about 30 queries per server: a few servers' work sums lie above their
  // capacity by sampling noise alone. Neither the verdict at the end nor the capacity search's check
  // during the run calls that saturation; the same fleet at 105% is saturated.
  auto doc = mmc_document(1, 1.0, 1.0, 30000, 0);
  doc["platform"]["servers"][0]["count"] = 1000;
  doc["workload"]["query_size"] = {{"distribution", "lognormal"}, {"median", 40}, {"top_quarter_share", 0.75}, {"max", 1024}};
  doc["scheduler"]["batch_size"] = 16;
  doc["scheduler"]["server_selection"] = "random";
  Scenario s = scenario_from(doc);
  const auto probe = simulate_isolated(s);  // offered load per server at 1 query/s
  double work = 0.0;
  for (const auto& server : probe.servers) work += server.offered;
  const double unit = work / 1000.0;
  for (const bool watched : {false, true}) {
    CAPTURE(watched);
    s.arrival.qps = 0.6 / unit;
    SimulationOptions options;
    options.stop_when_sla_missed = watched;
    const auto r = simulate_isolated(s, options);
    double highest = 0.0;
    for (const auto& server : r.servers) highest = std::max(highest, server.offered);
    CAPTURE(highest, r.saturation_reason);
    CHECK(highest > 1.0);      // a few servers' samples are over capacity...
    CHECK_FALSE(r.saturated);  // ...within their noise
    CHECK(r.completed == 30000);
    s.arrival.qps = 1.05 / unit;
    const auto over = simulate_isolated(s, options);
    CHECK(over.saturated);
    CHECK(over.saturation_reason.find("offered load") != std::string::npos);
  }
}

TEST_CASE("one run's offered load bounds the saturated rates exactly, and ends a far-SLA search in two runs", "[capacity][bound]") {
  // M/M/4 at 2,000 qps, 1 ms: the seed's service demand is the same at every rate, so the run's
  // offered load alone gives the rate at which it reaches 1 exactly.
  const auto doc = mmc_document(4, 2000.0, 1.0, 20000, 1000);
  const auto at = [&](double qps) {
    auto d = doc;
    d["workload"]["arrival"]["qps"] = qps;
    return simulate_isolated(scenario_from(d));
  };
  const auto first = at(2000.0);
  REQUIRE(first.offered_bounds);
  CHECK(first.offered_bounds->alone == Approx(0.5).epsilon(0.03));  // 2,000 qps x 1 ms / 4 cores
  CHECK(first.offered_bounds->all_busy == first.offered_bounds->alone);  // no contention
  const double bound = 2000.0 / first.offered_bounds->alone;
  const auto above = at(bound * (1 + 1e-9));
  CHECK(above.saturated);
  CHECK(above.saturation_reason.rfind("offered load 1.000 >= 1", 0) == 0);
  const auto below = at(bound * (1 - 1e-4));
  CHECK_FALSE(below.saturated);
  REQUIRE(below.offered_bounds);
  CHECK(below.offered_bounds->alone == Approx(1 - 1e-4).epsilon(1e-9));

  // Not where routing reads the loads, nor for a run cut short.
  auto two = doc;
  two["platform"]["servers"] = {{{"name", "s"}, {"count", 2}, {"cpu_cores", 2}}};
  two["scheduler"]["server_selection"] = "least_loaded";
  CHECK_FALSE(simulate_isolated(scenario_from(two)).offered_bounds);
  two["scheduler"]["server_selection"] = "random";
  CHECK(simulate_isolated(scenario_from(two)).offered_bounds);
  auto cut = doc;
  cut["sla"]["target_ms"] = 0.5;
  SimulationOptions watch;
  watch.stop_when_sla_missed = true;
  const auto stopped = simulate_isolated(scenario_from(cut), watch);
  CHECK_FALSE(stopped.stopped_early.empty());
  CHECK_FALSE(stopped.offered_bounds);

  // A far SLA (1,000 ms against 1 ms of service): the max load is just below saturation. The run at
  // the start gives the bound; the probe at bound / (1 + precision) meets; the bound closes the
  // bracket. Two simulations, where bracketing and bisection up to saturation took several.
  CapacityOptions o;
  o.precision = 0.01;
  const auto r = find_capacity(scenario_from(doc), o, isolated_evaluator(1));
  REQUIRE(r.found);
  REQUIRE(r.points.size() == 2);
  CHECK(r.points[0].qps == 2000.0);
  CHECK(r.points[1].met);
  REQUIRE(r.saturation_bound_qps);
  // The lower of the run's bound and the analytic limit (4 cores / 1 ms = 4,000 qps).
  REQUIRE(r.stability_limit_qps);
  CHECK(*r.stability_limit_qps == Approx(4000.0));
  CHECK(*r.saturation_bound_qps == Approx(std::min(bound, 4000.0)));
  CHECK(*r.missed_qps == *r.saturation_bound_qps);
  CHECK(r.max_qps == Approx(std::min(bound, 4000.0) / 1.01));
  // The same answer with look-ahead.
  o.jobs = 3;
  const auto parallel = find_capacity(scenario_from(doc), o, isolated_evaluator(3));
  CHECK(parallel.max_qps == r.max_qps);
  CHECK(parallel.points.size() == r.points.size());
}

TEST_CASE("a screened capacity search stops at its first missed rate at or below the floor", "[capacity][screen]") {
  int calls = 0;
  CapacityOptions o;
  o.precision = 0.01;
  o.floor = 950.0;
  // Capacity 900 (target 10 ms against 1 / (1000 - q) s): missed at the floor, screened out at once.
  const auto r = find_capacity(synthetic_scenario(950.0, 10.0), o, synthetic(1000.0, &calls));
  CHECK(r.screened);
  CHECK_FALSE(r.found);
  CHECK(r.points.size() == 1);
  CHECK(r.max_qps == 0);
  CHECK(*r.missed_qps == 950.0);
  // Met at the floor: searched in full.
  o.floor = 850.0;
  const auto full = find_capacity(synthetic_scenario(850.0, 10.0), o, synthetic(1000.0, &calls));
  CHECK_FALSE(full.screened);
  REQUIRE(full.found);
  CHECK(full.max_qps <= 900.0);
  CHECK(*full.missed_qps > 900.0);
}

TEST_CASE("a fleet's stability limit: each model on the servers hosting it, and all models together", "[capacity][queueing]") {
  // Kinds of 2 and 8 cores; model a (75% of the queries, 1 ms each), model b (25%, 2 ms each).
  auto kind = [](const std::string& name, int cores) { return nlohmann::json{{"name", name}, {"cpu_cores", cores}}; };
  auto model = [](const std::string& name, double share, double ms, const std::vector<std::string>& groups) {
    return nlohmann::json{{"name", name}, {"share", share}, {"query_size", {{"distribution", "fixed"}, {"value", 1}}},
                          {"service", {{"type", "exponential"}, {"mean_ms", ms}}}, {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
                          {"sla", {{"percentile", 95}, {"target_ms", 1e6}}}, {"groups", groups}};
  };
  nlohmann::json doc = {{"format", 2}, {"name", "fleet"}, {"seed", 1},
                        {"server_kinds", {kind("small", 2), kind("large", 8)}},
                        {"server_groups", {{{"name", "s"}, {"kind", "small"}, {"count", 1}}, {{"name", "l"}, {"kind", "large"}, {"count", 1}}}},
                        {"workload", {{"arrival", {{"process", "poisson"}, {"qps", 1000}}}}},
                        {"models", {model("a", 3, 1.0, {"s"}), model("b", 1, 2.0, {"l"})}},
                        {"balancer", {{"policy", "least_loaded"}}},
                        {"run", {{"queries", 20000}, {"warmup_queries", 1000}}}};
  // Apart: a alone on the 2-core server binds, 0.75 λ × 1 ms <= 2 (b: 0.25 λ × 2 ms <= 8).
  CHECK(*cpu_stability_limit_qps(scenario_from(doc)) == Approx(2.0 / 0.75e-3));
  // Both on both servers: together, λ (0.75 × 1 + 0.25 × 2) ms <= 10 cores binds (each alone: 13,333 and 20,000).
  doc["models"] = {model("a", 3, 1.0, {"s", "l"}), model("b", 1, 2.0, {"s", "l"})};
  const Scenario both = scenario_from(doc);
  REQUIRE(cpu_stability_limit_qps(both));
  CHECK(*cpu_stability_limit_qps(both) == Approx(10.0 / 1.25e-3));
  // A capacity search with a loose SLA answers below it, at every seed.
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    Scenario s = both;
    s.seed = seed;
    CapacityOptions o;
    o.precision = 0.01;
    const auto r = find_capacity(s, o, isolated_evaluator(1));
    REQUIRE(r.found);
    CHECK(r.stability_limit_qps == cpu_stability_limit_qps(both));
    CHECK(r.max_qps < 8000.0);
    CHECK(r.max_qps > 0.85 * 8000.0);
  }
}

TEST_CASE("capacity never exceeds the analytic stability limit, across seeds and run lengths", "[capacity][queueing]") {
  // 2 cores, lognormal sizes split into requests of at most 4 items, each a deterministic 1 ms:
  // c / E[S] = 2 / (E[ceil(N / 4)] x 1 ms), with E[ceil(N / 4)] checked against a million draws.
  auto doc = mmc_document(2, 500.0, 1.0, 10000, 500);
  doc["workload"]["query_size"] = {{"distribution", "lognormal"}, {"mu", 2.0}, {"sigma", 0.8}, {"max", 200}};
  doc["service"] = {{"type", "deterministic"}, {"ms", 1.0}};
  doc["scheduler"]["batch_size"] = 4;
  doc["sla"]["target_ms"] = 1e6;  // loose: only stability binds
  const Scenario base = scenario_from(doc);
  const auto limit = cpu_stability_limit_qps(base);
  REQUIRE(limit);
  {
    auto sizes = make_query_sizes(base.fleet.models.front().query_size);
    Rng rng(3);
    double requests = 0;
    const int n = 1'000'000;
    for (int i = 0; i < n; ++i) requests += (sizes->sample(rng) + 3) / 4;
    CHECK(*limit == Approx(2.0 / (requests / n * 1e-3)).epsilon(0.005));
  }
  for (std::uint64_t queries : {2000u, 10000u, 40000u})
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      CAPTURE(queries, seed);
      Scenario s = base;
      s.seed = seed;
      s.run.queries = queries;
      s.run.warmup_queries = queries / 20;
      CapacityOptions o;
      o.precision = 0.005;
      const auto r = find_capacity(s, o, isolated_evaluator(1));
      REQUIRE(r.found);
      CHECK(r.max_qps < *limit);
      CHECK(r.max_qps > 0.9 * *limit);  // a loose SLA: just below saturation
    }
}
