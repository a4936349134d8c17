// The engine against closed-form queueing results: M/M/c (Erlang C), M/D/1 (Pollaczek-Khinchine)
// and Little's law. Each run uses a fixed seed, so the check is deterministic; the tolerances are a
// few standard errors of the estimates at these run lengths (see docs/validation.md).
#include "sim/engine/isolated_run.h"
#include "support/queueing_formulas.h"
#include "support/scenarios.h"

#include <catch2/catch.hpp>

using namespace recsim;
using namespace recsim::test;

TEST_CASE("Erlang C reference values are right", "[queueing]") {
  // Textbook values: C(1, a) = a (M/M/1), C(2, 1) = 1/3.
  CHECK(erlang_c(1, 0.7) == Approx(0.7));
  CHECK(erlang_c(2, 1.0) == Approx(1.0 / 3.0));
  // M/M/1 sojourn is exponential with rate mu - lambda.
  CHECK(mmc_sojourn_quantile(1, 500.0, 1000.0, 0.95) == Approx(std::log(20.0) / 500.0).epsilon(1e-9));
}

TEST_CASE("M/M/c matches Erlang C: mean latency, probability of waiting, p95", "[queueing][mmc]") {
  struct Case {
    int c;
    double rho;
  };
  const auto [c, rho] = GENERATE(Case{1, 0.5}, Case{2, 0.7}, Case{8, 0.7}, Case{16, 0.85}, Case{40, 0.9});
  const double mean_ms = 1.0, mu = 1000.0 / mean_ms, lambda = rho * c * mu;
  CAPTURE(c, rho);
  const RunResults r = simulate_isolated(scenario_from(mmc_document(c, lambda, mean_ms, 400000, 20000)));
  REQUIRE_FALSE(r.saturated);
  REQUIRE(r.latency_ms);
  const double C = erlang_c(c, lambda / mu);
  CHECK(r.latency_ms->mean / 1e3 == Approx(mmc_mean_sojourn(c, lambda, mu)).epsilon(0.02));
  CHECK(r.waited_fraction == Approx(C).margin(0.01));
  CHECK(r.mean_wait_ms / 1e3 == Approx(C / (c * mu - lambda)).epsilon(0.06).margin(2e-6));
  CHECK(r.latency_ms->p95 / 1e3 == Approx(mmc_sojourn_quantile(c, lambda, mu, 0.95)).epsilon(0.03));
  CHECK(r.latency_ms->p99 / 1e3 == Approx(mmc_sojourn_quantile(c, lambda, mu, 0.99)).epsilon(0.04));
  CHECK(r.cpu_utilization == Approx(rho).epsilon(0.01));
}

TEST_CASE("M/D/1 matches Pollaczek-Khinchine", "[queueing][md1]") {
  const double rho = GENERATE(0.3, 0.6, 0.8);
  const double s = 1e-3, lambda = rho / s;
  CAPTURE(rho);
  auto doc = mmc_document(1, lambda, 1.0, 400000, 20000);
  doc["service"] = {{"type", "deterministic"}, {"ms", 1.0}};
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.latency_ms);
  const double wq = pk_mean_wait(lambda, s, s * s);
  CHECK(r.mean_wait_ms / 1e3 == Approx(wq).epsilon(0.04));
  CHECK(r.latency_ms->mean / 1e3 == Approx(wq + s).epsilon(0.02));
  CHECK(r.waited_fraction == Approx(rho).margin(0.01));  // P(wait) = rho for M/G/1
  CHECK(r.latency_ms->p50 >= 1.0 * (1 - 1e-3));          // nobody is faster than the service time
}

TEST_CASE("Little's law: time-average number in system equals throughput x mean latency", "[queueing][little]") {
  // Multi-request queries on a 4-core server, so the bookkeeping of splits is exercised too.
  auto doc = mmc_document(4, 900.0, 1.0, 200000, 10000);
  doc["workload"]["query_size"] = {{"distribution", "lognormal"}, {"mu", 1.2}, {"sigma", 0.6}, {"max", 64}};
  doc["scheduler"]["batch_size"] = 2;
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.latency_ms);
  CHECK(r.mean_in_system == Approx(r.throughput_qps * r.latency_ms->mean / 1e3).epsilon(0.01));
  // Little's law on the cores: busy cores = request rate x mean service time.
  CHECK(r.cpu_utilization * 4 ==
        Approx(r.throughput_qps * (static_cast<double>(r.requests_simulated) / r.completed) * 1e-3).epsilon(0.02));
}
