// One request's own variation (sim/service/run_variation.h): the draws' quantiles are the
// profile's within-pass spread, their mean the split lognormal's, and a model scenario's service
// times scatter by them (deterministically per seed) unless `service.run_spread` is false.
#include "kernels/profiles/latency_profile.h"
#include "sim/engine/isolated_run.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/service/run_variation.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

using namespace recsim;
using namespace recsim::test;

namespace {

std::vector<double> draws(const RunVariation& v, int items, int n) {
  Rng rng = make_stream(7, StreamId::service);
  std::vector<double> out(static_cast<std::size_t>(n));
  for (auto& x : out) x = v.draw(items, rng);
  std::sort(out.begin(), out.end());
  return out;
}

double quantile(const std::vector<double>& sorted, double q) { return sorted[static_cast<std::size_t>(q * (sorted.size() - 1))]; }

}  // namespace

TEST_CASE("a request's own variation draws the measured within-pass spread", "[service][run_spread]") {
  // Skewed at 1 item (10% of runs below 0.8x the median, 10% above 1.5x), narrower at 64.
  const RunVariation v({{1, 0.8, 1.5}, {64, 0.9, 1.2}});
  const int n = 400000;
  SECTION("at a measured size: median 1, p10 and p90 the ratios, the mean the split lognormal's") {
    const auto d = draws(v, 1, n);
    CHECK(quantile(d, 0.5) == Approx(1.0).epsilon(0.01));
    CHECK(quantile(d, 0.1) == Approx(0.8).epsilon(0.01));
    CHECK(quantile(d, 0.9) == Approx(1.5).epsilon(0.01));
    double sum = 0;
    for (double x : d) sum += x;
    // sl = -ln 0.8 / 1.2816 = 0.17412, sh = ln 1.5 / 1.2816 = 0.31638:
    // exp(sl^2/2) Phi(-sl) + exp(sh^2/2) Phi(sh) = 1.01527 x 0.43089 + 1.05129 x 0.62414 = 1.09361.
    CHECK(v.mean(1) == Approx(1.09361).epsilon(1e-4));
    CHECK(sum / n == Approx(v.mean(1)).epsilon(0.003));
    const auto at64 = draws(v, 64, n);
    CHECK(quantile(at64, 0.1) == Approx(0.9).epsilon(0.01));
    CHECK(quantile(at64, 0.9) == Approx(1.2).epsilon(0.01));
  }
  SECTION("between sizes the sigmas are interpolated; beyond the ends the nearest holds") {
    // Halfway from 1 to 64 in items (32.5 is not a size; 32 is 31/63 of the way).
    const double t = 31.0 / 63.0, k = 1.2815515655446004;
    const double sh = std::log(1.5) / k + t * (std::log(1.2) / k - std::log(1.5) / k);
    CHECK(quantile(draws(v, 32, n), 0.9) == Approx(std::exp(sh * k)).epsilon(0.01));
    CHECK(v.mean(1000) == Approx(v.mean(64)));
    CHECK(v.mean(0) == Approx(v.mean(1)));
  }
  SECTION("nothing measured: a factor of 1; a ratio on the wrong side of 1 counts as 1") {
    Rng rng = make_stream(1, StreamId::service);
    CHECK(RunVariation().draw(8, rng) == 1.0);
    CHECK(RunVariation().mean(8) == 1.0);
    CHECK(RunVariation({{1, 1.1, 0.9}}).mean(1) == 1.0);
    CHECK(RunVariation({{1, 1.1, 0.9}}).draw(1, rng) == 1.0);
  }
  SECTION("batch sizes must increase") {
    CHECK_THROWS_AS(RunVariation({{4, 0.9, 1.1}, {4, 0.9, 1.1}}), std::invalid_argument);
  }
}

TEST_CASE("a model scenario's requests scatter by the profile's run spread", "[service][model][run_spread]") {
  TempDir dir;
  // 1 ms per item; one run in ten below 0.8x its pass's median, one in ten above 1.25x.
  nlohmann::json points = nlohmann::json::array({{{"batch", 1}, {"median", 1.0}}, {{"batch", 64}, {"median", 64.0}}});
  nlohmann::json spread = nlohmann::json::array({{{"batch", 1}, {"median", 1.0}, {"p10", 0.8}, {"p90", 1.25}},
                                                 {{"batch", 64}, {"median", 1.0}, {"p10", 0.8}, {"p90", 1.25}}});
  nlohmann::json profile = {{"format", "recsim-profile/1"}, {"device", "cpu"}, {"source", "measured"},
                            {"provenance", {{"note", "synthetic, for tests"}}},
                            {"models", {{"m", {{"latency_ms", points}, {"run_spread", spread}}}}}};
  dir.write_json("profile.json", profile);
  // Queries of 4 items 100 ms apart on one core: no queueing, each latency one request's time.
  std::string trace;
  for (int k = 0; k < 4000; ++k) trace += std::to_string(100 * k) + ",4\n";
  const auto file = dir.write("t.csv", trace);
  auto doc = mmc_document(1, 1.0, 1.0, 1, 0);
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", file}}}};
  doc["service"] = {{"type", "model"}, {"model", "m"}, {"profile", "profile.json"}, {"contention", false}};
  doc["scheduler"]["batch_size"] = 4;
  doc["run"] = nlohmann::json::object();
  const auto r = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(r.latency_ms->p50 == Approx(4.0).epsilon(0.02));
  CHECK(r.latency_ms->p90 == Approx(5.0).epsilon(0.03));
  CHECK(r.latency_ms->max > 1.25 * 4.0);
  // Same scenario and seed: the same draws.
  CHECK(simulate_isolated(scenario_from(doc, dir.path())).latency_ms->mean == r.latency_ms->mean);
  // Another set of draws (recsim validate's range): other times, the same spread, and the same
  // set again for the same number.
  SimulationOptions other;
  other.service_draws = 3;
  const auto r3 = simulate_isolated(scenario_from(doc, dir.path()), other);
  CHECK(r3.measured == r.measured);
  CHECK(r3.latency_ms->mean != r.latency_ms->mean);
  CHECK(r3.latency_ms->p90 == Approx(5.0).epsilon(0.03));
  CHECK(simulate_isolated(scenario_from(doc, dir.path()), other).latency_ms->mean == r3.latency_ms->mean);
  doc["service"]["run_spread"] = false;
  const auto fixed = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(fixed.latency_ms->p50 == Approx(4.0).epsilon(1e-3));
  CHECK(fixed.latency_ms->max == Approx(4.0).epsilon(1e-3));
  // Fixed times have nothing to draw: every set of draws gives the same run.
  CHECK(simulate_isolated(scenario_from(doc, dir.path()), other).latency_ms->mean == fixed.latency_ms->mean);
  // Read back as written.
  const LatencyProfile loaded = load_latency_profile(dir.path() + "/profile.json");
  REQUIRE(loaded.run_spread("m").size() == 2);
  CHECK(loaded.run_spread("m")[1].p90 == 1.25);
  CHECK(load_latency_profile(dir.path() + "/profile.json").models.at("m").run_spread[0].p10_ms == 0.8);
  // A ratio of 0 is named with its path.
  profile["models"]["m"]["run_spread"][1]["p10"] = 0;
  dir.write_json("bad.json", profile);
  CHECK_THROWS_AS(load_latency_profile(dir.path() + "/bad.json"), InputError);
  CHECK_THROWS_WITH(load_latency_profile(dir.path() + "/bad.json"), Catch::Contains("models.m.run_spread.1.p10: expected a ratio > 0"));
  // Inverted quantiles (p10 > median > p90) are refused wherever a point has them.
  profile["models"]["m"]["run_spread"][1]["p10"] = 1.25;
  profile["models"]["m"]["run_spread"][1]["p90"] = 0.8;
  dir.write_json("bad.json", profile);
  CHECK_THROWS_WITH(load_latency_profile(dir.path() + "/bad.json"),
                    Catch::EndsWith("models.m.run_spread.1.median: expected at least p10 (1.25): min <= p10 <= median <= p90 <= max, got 1.0"));
  profile["models"]["m"]["run_spread"][1]["p10"] = 0.8;
  profile["models"]["m"]["run_spread"][1]["p90"] = 1.25;
  profile["models"]["m"]["latency_ms"][1]["max"] = 60.0;
  dir.write_json("bad.json", profile);
  CHECK_THROWS_WITH(load_latency_profile(dir.path() + "/bad.json"), Catch::EndsWith("models.m.latency_ms.1.max: expected at least median (64.0): min <= p10 <= median <= p90 <= max, got 60.0"));
}
