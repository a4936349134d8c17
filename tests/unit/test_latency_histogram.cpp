// The streaming histogram against exact percentiles of the same samples.
#include "sim/metrics/latency_histogram.h"

#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using recsim::LatencyHistogram;

namespace {
double exact_nearest_rank(std::vector<double> sorted, double p) {
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * sorted.size() - 1e-9));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}
}  // namespace

TEST_CASE("histogram percentiles are within 0.1% of exact ones", "[metrics][histogram]") {
  boost::random::mt19937_64 rng(42);
  // Latencies from 10 us to seconds: lognormal around 2 ms with a heavy spread.
  boost::random::lognormal_distribution<double> dist(std::log(2e-3), 1.5);
  std::vector<double> samples(200000);
  LatencyHistogram h;
  for (auto& x : samples) {
    x = dist(rng);
    h.add(x);
  }
  std::sort(samples.begin(), samples.end());
  for (double p : {1.0, 10.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 100.0}) {
    CAPTURE(p);
    const double exact = exact_nearest_rank(samples, p);
    CHECK(std::fabs(h.percentile(p) - exact) / exact <= 1e-3);
  }
  CHECK(h.count() == samples.size());
  CHECK(h.min() == samples.front());
  CHECK(h.max() == samples.back());
  double sum = 0;
  for (double x : samples) sum += x;
  CHECK(h.mean() == Approx(sum / samples.size()).epsilon(1e-12));
}

TEST_CASE("histogram handles tiny samples exactly at the edges", "[metrics][histogram]") {
  LatencyHistogram h;
  CHECK(h.percentile(95) == 0.0);
  h.add(1e-3);
  CHECK(h.percentile(50) == 1e-3);  // clamped to the exact min and max
  h.add(2e-3);
  CHECK(h.percentile(50) == Approx(1e-3).epsilon(1e-3));
  CHECK(h.percentile(51) == Approx(2e-3).epsilon(1e-3));
  CHECK(h.percentile(100) == 2e-3);
  h.add(0.0);  // below the axis: underflow bin, reported as the exact minimum
  CHECK(h.percentile(1) == 0.0);
  h.add(5e6);  // above the axis: overflow bin, reported as the exact maximum
  CHECK(h.percentile(100) == 5e6);
}

TEST_CASE("the histogram's CDF is monotone, ends at 1 and agrees with its percentiles", "[metrics][histogram]") {
  recsim::LatencyHistogram h;
  for (int i = 1; i <= 1000; ++i) h.add(i * 1e-3);  // 1 .. 1000 ms
  const auto cdf = h.cdf_ms();
  REQUIRE(cdf.size() == 1000);  // one bin per sample: they are more than 0.1% apart
  for (std::size_t i = 1; i < cdf.size(); ++i) {
    CHECK(cdf[i].first > cdf[i - 1].first);
    CHECK(cdf[i].second > cdf[i - 1].second);
  }
  CHECK(cdf.back().first == Approx(1000.0));
  CHECK(cdf.back().second == 1.0);
  CHECK(cdf[949].second == Approx(0.95));
  CHECK(cdf[949].first == Approx(h.percentile(95) * 1e3).epsilon(1e-3));
}
