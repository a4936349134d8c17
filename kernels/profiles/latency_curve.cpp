#include "kernels/profiles/latency_curve.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {

LatencyCurve::LatencyCurve(std::vector<Point> points) : points_(std::move(points)) {
  if (points_.empty()) throw std::invalid_argument("a latency curve needs at least one point");
  for (std::size_t i = 0; i < points_.size(); ++i) {
    if (points_[i].batch < 1)
      throw std::invalid_argument("point " + std::to_string(i) + ": batch must be >= 1");
    if (!(points_[i].seconds > 0.0) || !std::isfinite(points_[i].seconds))
      throw std::invalid_argument("point " + std::to_string(i) + ": latency must be a finite number > 0");
    if (i > 0 && points_[i].batch <= points_[i - 1].batch)
      throw std::invalid_argument("point " + std::to_string(i) + ": batch sizes must increase strictly");
  }
  if (points_.size() >= 2) {
    const auto& a = points_[points_.size() - 2];
    const auto& b = points_.back();
    tail_slope_ = std::max(0.0, (b.seconds - a.seconds) / (b.batch - a.batch));
  }
}

double LatencyCurve::seconds_at(int batch) const {
  if (batch <= points_.front().batch) return points_.front().seconds;
  if (batch >= points_.back().batch) return points_.back().seconds + tail_slope_ * (batch - points_.back().batch);
  const auto hi = std::lower_bound(points_.begin(), points_.end(), batch,
                                   [](const Point& p, int b) { return p.batch < b; });
  const auto lo = hi - 1;
  const double f = static_cast<double>(batch - lo->batch) / (hi->batch - lo->batch);
  return lo->seconds + f * (hi->seconds - lo->seconds);
}

double LatencyCurve::rel_se_at(int batch) const {
  if (batch <= points_.front().batch) return points_.front().rel_se;
  if (batch >= points_.back().batch) return points_.back().rel_se;
  const auto hi = std::lower_bound(points_.begin(), points_.end(), batch,
                                   [](const Point& p, int b) { return p.batch < b; });
  const auto lo = hi - 1;
  const double f = static_cast<double>(batch - lo->batch) / (hi->batch - lo->batch);
  return lo->rel_se + f * (hi->rel_se - lo->rel_se);
}

}  // namespace recsim
