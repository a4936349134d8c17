// The arrival processes of the registry (sim/scenario/arrival_registry.h) against closed forms:
// gamma renewal gaps' mean and spread and GI/M/1's sojourn time, a diurnal curve's counts per
// window against its integral, on-off bursts' long-run rate and overdispersion, and common random
// numbers (a higher rate moves every arrival earlier).
#include "sim/engine/isolated_run.h"
#include "support/cli_runner.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/cumulative_rate.h"
#include "workloads/gamma_arrivals.h"
#include "workloads/modulated_arrivals.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using namespace recsim;
using recsim::test::scenario_error;
using recsim::test::scenario_from;

namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

std::vector<double> arrival_times(ArrivalProcess& p, std::size_t n) {
  std::vector<double> t(n);
  double now = 0.0;
  for (auto& x : t) x = now += p.next_gap();
  return t;
}

// Counts of arrivals (times up to `end`) in windows of `width` seconds.
std::vector<double> window_counts(const std::vector<double>& times, double width, double end) {
  std::vector<double> counts(static_cast<std::size_t>(end / width), 0.0);
  for (double t : times)
    if (t < end) counts[static_cast<std::size_t>(t / width)] += 1.0;
  return counts;
}

nlohmann::json with_arrival(nlohmann::json doc, const nlohmann::json& arrival) {
  doc["workload"]["arrival"] = arrival;
  return doc;
}

}  // namespace

TEST_CASE("gamma gaps have mean 1/qps and the given coefficient of variation, and a rate scales them exactly", "[arrivals]") {
  GammaArrivals slow(1000.0, 2.0, make_stream(3, StreamId::arrivals)), fast(2000.0, 2.0, make_stream(3, StreamId::arrivals));
  double sum = 0.0, sum2 = 0.0;
  const int n = 400000;
  for (int i = 0; i < n; ++i) {
    const double g = slow.next_gap();
    CHECK(fast.next_gap() == Approx(g / 2).epsilon(1e-12));
    sum += g;
    sum2 += g * g;
  }
  const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
  CHECK(mean == Approx(1e-3).epsilon(0.015));
  CHECK(sd / mean == Approx(2.0).epsilon(0.03));
}

TEST_CASE("GI/M/1 with gamma arrivals: the simulated sojourn time is 1 / (mu (1 - sigma))", "[arrivals][queueing]") {
  // sigma solves sigma = A*(mu (1 - sigma)), A*(s) = (k lambda / (k lambda + s))^k the gaps' transform.
  const double lambda = 500.0, mu = 1000.0, cv = 2.0, k = 1.0 / (cv * cv);
  double sigma = 0.5;
  for (int i = 0; i < 10000; ++i) sigma = std::pow(k * lambda / (k * lambda + mu * (1.0 - sigma)), k);
  const double sojourn = 1.0 / (mu * (1.0 - sigma));
  auto doc = with_arrival(recsim::test::mmc_document(1, lambda, 1.0, 400000, 20000), {{"process", "gamma"}, {"qps", lambda}, {"cv", cv}});
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.latency_ms);
  CHECK(r.latency_ms->mean / 1e3 == Approx(sojourn).epsilon(0.04));
  CHECK(sojourn > 2.0 / mu);  // burstier than Poisson: M/M/1's sojourn at this load is 2 ms
}

TEST_CASE("a diurnal sinusoid's arrivals per window follow the integral of its rate", "[arrivals]") {
  const double qps = 200.0, period = 100.0, ratio = 3.0, peak = 25.0, a = (ratio - 1) / (ratio + 1), w = kTwoPi / period;
  ModulatedArrivals p(qps, make_sinusoid_rate(period, ratio, peak), make_stream(5, StreamId::arrivals));
  const double end = 20 * period, width = 5.0;
  const auto counts = window_counts(arrival_times(p, static_cast<std::size_t>(qps * end * 1.2)), width, end);
  // Each window's expected count over the 20 periods, and the chi-square of the folded counts.
  std::vector<double> folded(static_cast<std::size_t>(period / width), 0.0);
  for (std::size_t i = 0; i < counts.size(); ++i) folded[i % folded.size()] += counts[i];
  double chi2 = 0.0, peak_count = 0.0, trough_count = 0.0;
  for (std::size_t j = 0; j < folded.size(); ++j) {
    const double t0 = j * width, t1 = t0 + width;
    const double expected = 20 * qps * (width + a / w * (std::sin(w * (t1 - peak)) - std::sin(w * (t0 - peak))));
    chi2 += (folded[j] - expected) * (folded[j] - expected) / expected;
    if (t0 <= peak && peak < t1) peak_count = folded[j];
    if (t0 <= peak + period / 2 && peak + period / 2 < t1) trough_count = folded[j];
  }
  CHECK(chi2 < 45.3);  // the 99.9th percentile of chi-square with 20 degrees of freedom
  CHECK(peak_count / trough_count == Approx(ratio).epsilon(0.1));
  double total = 0.0;
  for (double c : counts) total += c;
  CHECK(total / end == Approx(qps).epsilon(0.01));
}

TEST_CASE("a rate table repeats its piecewise-linear curve, scaled to the mean rate", "[arrivals]") {
  // Relative rates 1 -> 3 -> 1 over 100 s: mean 2, so 0.5 x qps at the ends and 1.5 x qps mid-period.
  ModulatedArrivals p(100.0, make_table_rate({{0.0, 1.0}, {50.0, 3.0}, {100.0, 1.0}}), make_stream(6, StreamId::arrivals));
  const auto counts = window_counts(arrival_times(p, 120000), 10.0, 1000.0);
  std::vector<double> folded(10, 0.0);
  for (std::size_t i = 0; i < counts.size(); ++i) folded[i % 10] += counts[i];
  for (std::size_t j = 0; j < 10; ++j) {
    // The normalised rate over [10j, 10j + 10]: linear from 0.5 at 0 to 1.5 at 50 and back.
    const auto rel = [](double t) { return t <= 50 ? 0.5 + t / 50 : 1.5 - (t - 50) / 50; };
    const double expected = 10 * 100.0 * 10 * 0.5 * (rel(10.0 * j) + rel(10.0 * j + 10));
    INFO(j);
    CHECK(std::abs(folded[j] - expected) < 4 * std::sqrt(expected));
  }
}

TEST_CASE("a rate table's zero-rate stretches get no arrivals, and its ramps are integrated exactly", "[arrivals]") {
  // Period 30 s: nothing in [0, 10), a ramp 0 -> 2 over [10, 20), a ramp 2 -> 0 over [20, 30).
  ModulatedArrivals p(50.0, make_table_rate({{0.0, 0.0}, {10.0, 0.0}, {20.0, 2.0}, {30.0, 0.0}}), make_stream(8, StreamId::arrivals));
  const auto times = arrival_times(p, 60000);
  double quiet = 0, rising = 0, falling = 0, first_half_of_ramp = 0;
  for (double t : times) {
    const double x = std::fmod(t, 30.0);
    if (x < 10.0) ++quiet;
    else if (x < 20.0) ++rising;
    else ++falling;
    if (x >= 10.0 && x < 15.0) ++first_half_of_ramp;
  }
  CHECK(quiet == 0);
  CHECK(std::abs(rising - falling) < 4 * std::sqrt(rising + falling));
  // A linear ramp from 0: a quarter of its arrivals in its first half.
  CHECK(first_half_of_ramp / rising == Approx(0.25).margin(0.01));
}

TEST_CASE("on-off bursts keep the long-run mean rate and are overdispersed", "[arrivals]") {
  // Bursts of mean 2 s at 10x the rate, 0.05 per second outside them: 1/11 of the time in bursts.
  const double qps = 500.0;
  ModulatedArrivals p(qps, make_burst_rate(10.0, 2.0, 0.05, make_stream(7, StreamId::arrivals, 1)), make_stream(7, StreamId::arrivals));
  const double end = 20000.0;
  const auto counts = window_counts(arrival_times(p, static_cast<std::size_t>(qps * end * 1.1)), 1.0, end);
  double sum = 0.0, sum2 = 0.0;
  for (double c : counts) {
    sum += c;
    sum2 += c * c;
  }
  const double mean = sum / counts.size(), var = sum2 / counts.size() - mean * mean;
  CHECK(mean == Approx(qps).epsilon(0.05));
  CHECK(var / mean > 50.0);  // a Poisson process's index of dispersion is 1
}

TEST_CASE("common random numbers: at a higher rate every arrival of a time-varying process comes earlier", "[arrivals]") {
  for (const char* kind : {"sinusoid", "bursts"}) {
    INFO(kind);
    const auto make = [&](double qps) {
      auto rate = std::string(kind) == "sinusoid" ? make_sinusoid_rate(60.0, 4.0, 10.0)
                                                  : make_burst_rate(5.0, 1.0, 0.2, make_stream(9, StreamId::arrivals, 1));
      return ModulatedArrivals(qps, std::move(rate), make_stream(9, StreamId::arrivals));
    };
    auto slow = make(100.0), fast = make(150.0);
    const auto a = arrival_times(slow, 20000), b = arrival_times(fast, 20000);
    bool earlier = true;
    for (std::size_t i = 0; i < a.size(); ++i) earlier = earlier && b[i] <= a[i];
    CHECK(earlier);
  }
}

TEST_CASE("the new processes' keys: registry names, bounds and the diurnal alternatives", "[arrivals][scenario]") {
  const auto mmc = recsim::test::mmc_document(1, 100, 1.0, 100, 0);
  CHECK(scenario_error(with_arrival(mmc, {{"process", "weekly"}, {"qps", 1}})) ==
        "workload.arrival.process: expected one of \"poisson\", \"diurnal\", \"bursty\", \"gamma\", \"trace\", got \"weekly\"");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "gamma"}, {"qps", 100}, {"cv", 0}})) ==
        "workload.arrival.cv: expected a number in [0.01, 100], got 0");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "diurnal"}, {"qps", 100}})) ==
        "workload.arrival.peak_to_trough: required: a sinusoid's peak-to-trough ratio, or a table (file)");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "diurnal"}, {"qps", 100}, {"peak_to_trough", 0.5}})) ==
        "workload.arrival.peak_to_trough: expected a number in [1, 1e+06], got 0.5");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "bursty"}, {"qps", 100}, {"burst_factor", 4}, {"burst_s", 1}})) ==
        "workload.arrival.bursts_per_hour: required key is missing");
  recsim::test::TempDir dir;
  const auto table = dir.write("day.csv", "t_s,rate\n0,1\n43200,4\n86400,1\n");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "diurnal"}, {"qps", 100}, {"file", table}, {"period_s", 10}})) ==
        "workload.arrival.period_s: give either a sinusoid (peak_to_trough, period_s, peak_at_s) or a table (file), not both");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "diurnal"}, {"qps", 100}, {"file", table}})) == "valid");
  const auto bad = dir.write("bad.csv", "0,1\n10,2\n10,3\n");
  CHECK(scenario_error(with_arrival(mmc, {{"process", "diurnal"}, {"qps", 100}, {"file", bad}})) ==
        bad + ":3: times must increase strictly from line to line");
  // The rate table is one of the scenario's inputs (provenance, the sweep store's key, --out guards).
  CHECK(scenario_from(with_arrival(mmc, {{"process", "diurnal"}, {"qps", 100}, {"file", table}})).input_files() ==
        std::vector<std::string>{table});
  // Through the parser's factories too, a higher rate moves every arrival earlier.
  for (const auto& arrival : {nlohmann::json{{"process", "diurnal"}, {"qps", 100}, {"file", table}},
                              nlohmann::json{{"process", "bursty"}, {"qps", 100}, {"burst_factor", 5}, {"burst_s", 1}, {"bursts_per_hour", 600}},
                              nlohmann::json{{"process", "gamma"}, {"qps", 100}, {"cv", 3}}}) {
    INFO(arrival.dump());
    const ArrivalSpec spec = scenario_from(with_arrival(mmc, arrival)).arrival;
    auto slow = spec.make(100.0, 17), fast = spec.make(130.0, 17);
    const auto a = arrival_times(*slow, 5000), b = arrival_times(*fast, 5000);
    bool earlier = true;
    for (std::size_t i = 0; i < a.size(); ++i) earlier = earlier && b[i] <= a[i];
    CHECK(earlier);
  }
  // A burst schedule that would change state billions of times is refused before the run.
  CHECK(recsim::test::run_recsim({"run", dir.write_json("storm.json", with_arrival(mmc, {{"process", "bursty"}, {"qps", 1e-3}, {"burst_factor", 2},
                                                                                         {"burst_s", 1e-6}, {"bursts_per_hour", 1e9}}))})
            .err.rfind("recsim: error: workload.arrival.bursts_per_hour: the run would process about", 0) == 0);
  // A whole run of each: the queries complete and the rate is the mean rate.
  for (const auto& arrival : {nlohmann::json{{"process", "diurnal"}, {"qps", 400}, {"peak_to_trough", 3}, {"period_s", 20}},
                              nlohmann::json{{"process", "bursty"}, {"qps", 400}, {"burst_factor", 3}, {"burst_s", 0.5}, {"bursts_per_hour", 3600}},
                              nlohmann::json{{"process", "gamma"}, {"qps", 400}, {"cv", 0.5}}}) {
    INFO(arrival.dump());
    const RunResults r = simulate_isolated(scenario_from(with_arrival(recsim::test::mmc_document(2, 400, 1.0, 40000, 2000), arrival)));
    CHECK(r.completed == 40000);
    CHECK(r.throughput_qps == Approx(400).epsilon(0.1));
  }
}
