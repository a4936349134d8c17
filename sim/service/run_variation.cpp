#include "sim/service/run_variation.h"

#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {
namespace {

// The standard normal's 90th percentile.
constexpr double kZ90 = 1.2815515655446004;

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

}  // namespace

RunVariation::RunVariation(const std::vector<RunSpreadPoint>& points) {
  for (const auto& p : points) {
    if (!points_.empty() && p.batch <= points_.back().batch)
      throw std::invalid_argument("run spread: batch sizes must increase strictly");
    if (!(p.p10 > 0) || !std::isfinite(p.p90)) throw std::invalid_argument("run spread: ratios must be positive and finite");
    points_.push_back({p.batch, {-std::log(std::min(1.0, p.p10)) / kZ90, std::log(std::max(1.0, p.p90)) / kZ90}});
  }
}

RunVariation::Sigmas RunVariation::at(int items) const {
  if (items <= points_.front().batch) return points_.front().sigmas;
  if (items >= points_.back().batch) return points_.back().sigmas;
  const auto hi = std::lower_bound(points_.begin(), points_.end(), items, [](const Point& p, int b) { return p.batch < b; });
  const auto lo = std::prev(hi);
  const double t = static_cast<double>(items - lo->batch) / (hi->batch - lo->batch);
  return {lo->sigmas.low + t * (hi->sigmas.low - lo->sigmas.low), lo->sigmas.high + t * (hi->sigmas.high - lo->sigmas.high)};
}

double RunVariation::draw(int items, Rng& rng) const {
  if (points_.empty()) return 1.0;
  const Sigmas s = at(items);
  const double z = boost::random::normal_distribution<double>(0.0, 1.0)(rng);
  return std::exp(z * (z < 0 ? s.low : s.high));
}

double RunVariation::mean(int items) const {
  if (points_.empty()) return 1.0;
  const Sigmas s = at(items);
  return std::exp(s.low * s.low / 2) * normal_cdf(-s.low) + std::exp(s.high * s.high / 2) * normal_cdf(s.high);
}

}  // namespace recsim
