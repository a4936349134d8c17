// Latency-vs-batch interpolation on a synthetic profile.
#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/calibration/sample_quantile.h"
#include "kernels/profiles/curve_fit.h"
#include "kernels/profiles/latency_curve.h"

#include <catch2/catch.hpp>

#include <stdexcept>

using recsim::LatencyCurve;
using recsim::LatencyPoint;
using recsim::sample_quantile;
using recsim::summarise_samples;

TEST_CASE("latency curve interpolates between measured batch sizes", "[profiles][curve]") {
  // A synthetic profile: 1 ms at batch 1, 2 ms at 16, 10 ms at 256.
  const LatencyCurve curve({{1, 1e-3}, {16, 2e-3}, {256, 10e-3}});
  CHECK(curve.seconds_at(1) == Approx(1e-3));
  CHECK(curve.seconds_at(16) == Approx(2e-3));
  CHECK(curve.seconds_at(256) == Approx(10e-3));
  CHECK(curve.seconds_at(6) == Approx(1e-3 + 5.0 / 15.0 * 1e-3));      // linear inside a segment
  CHECK(curve.seconds_at(136) == Approx(2e-3 + 120.0 / 240.0 * 8e-3)); // halfway from 16 to 256
  CHECK(curve.seconds_at(512) == Approx(10e-3 + 256 * (8e-3 / 240)));  // last slope continues
}

TEST_CASE("latency curve edges and validation", "[profiles][curve]") {
  const LatencyCurve single({{64, 3e-3}});
  CHECK(single.seconds_at(1) == Approx(3e-3));
  CHECK(single.seconds_at(1000) == Approx(3e-3));
  const LatencyCurve from_eight({{8, 2e-3}, {16, 3e-3}});
  CHECK(from_eight.seconds_at(2) == Approx(2e-3));  // below the first point: its latency
  CHECK_THROWS_AS(LatencyCurve({}), std::invalid_argument);
  CHECK_THROWS_AS(LatencyCurve({{4, 1e-3}, {4, 2e-3}}), std::invalid_argument);
  CHECK_THROWS_AS(LatencyCurve({{0, 1e-3}}), std::invalid_argument);
  CHECK_THROWS_AS(LatencyCurve({{1, -1e-3}}), std::invalid_argument);
  // A decreasing last segment does not extrapolate downwards.
  const LatencyCurve dip({{1, 2e-3}, {2, 1e-3}});
  CHECK(dip.seconds_at(100) == Approx(1e-3));
}

TEST_CASE("calibrators' sample quantile: linear between order statistics (NumPy's default)", "[profiles][quantile]") {
  // numpy.quantile([4, 1, 3, 2], [0, 0.1, 0.5, 0.9, 1]) = [1, 1.3, 2.5, 3.7, 4]
  const std::vector<double> sorted = {1, 2, 3, 4};
  CHECK(sample_quantile(sorted, 0.0) == 1.0);
  CHECK(sample_quantile(sorted, 0.1) == Approx(1.3));
  CHECK(sample_quantile(sorted, 0.5) == Approx(2.5));
  CHECK(sample_quantile(sorted, 0.9) == Approx(3.7));
  CHECK(sample_quantile(sorted, 1.0) == 4.0);
  CHECK(sample_quantile({7.0}, 0.9) == 7.0);
  CHECK_THROWS(sample_quantile({}, 0.5));
  // The CPU calibrator's summary uses it.
  const LatencyPoint p = summarise_samples(8, {4, 1, 3, 2});
  CHECK(p.p10_ms == Approx(1.3));
  CHECK(p.median_ms == Approx(2.5));
  CHECK(p.p90_ms == Approx(3.7));
}

TEST_CASE("the fitted curve smooths a point off by more than its noise, and keeps exact points", "[profile][fit]") {
  // 0.05 ms + 0.02 ms per item, every point with a 1% standard error, one point (24) 25% low.
  std::vector<recsim::FitInput> in;
  for (int b : {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128}) {
    const double truth = 0.05 + 0.02 * b;
    in.push_back({b, b == 24 ? truth * 0.75 : truth, 0.01, false});
  }
  const recsim::CurveFit fit = recsim::fit_latency_curve(in);
  REQUIRE(fit.smoothed);
  CHECK(fit.tau > 0.01);  // the outlier is more than the points' own errors explain
  for (const auto& p : fit.points) {
    CAPTURE(p.batch);
    const double truth = 0.05 + 0.02 * p.batch;
    if (p.batch == 24)
      CHECK(std::abs(p.fitted / truth - 1) < 0.12);  // pulled most of the way back from -25%
    else
      CHECK(std::abs(p.fitted / truth - 1) < (p.batch == 16 || p.batch == 32 ? 0.1 : 0.06));  // its neighbours pulled a little
    CHECK(p.rel_se > 0);
  }
  for (std::size_t i = 1; i < fit.points.size(); ++i) CHECK(fit.points[i].fitted >= fit.points[i - 1].fitted);

  // A clean line is left as it is (no between-point noise), within its own errors.
  std::vector<recsim::FitInput> clean;
  for (int b : {1, 2, 4, 8, 16, 32, 64}) clean.push_back({b, 0.05 + 0.02 * b, 0.01, false});
  for (const auto& p : recsim::fit_latency_curve(clean).points) CHECK(p.fitted == Approx(p.measured).epsilon(0.02));

  // Exact (computed) points, or fewer than four: returned as measured.
  std::vector<recsim::FitInput> exact = in;
  exact[3].exact = true;
  const recsim::CurveFit as_is = recsim::fit_latency_curve(exact);
  CHECK_FALSE(as_is.smoothed);
  for (const auto& p : as_is.points) CHECK(p.fitted == p.measured);
  CHECK_FALSE(recsim::fit_latency_curve({in[0], in[1], in[2]}).smoothed);
}
