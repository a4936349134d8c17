#include "kernels/calibration/holdout_accuracy.h"

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

LatencyCurve fitted_curve(const std::vector<LatencyPoint>& points) {
  std::vector<LatencyCurve::Point> c;
  for (const auto& f : fit_latency_curve(fit_inputs(points)).points) c.push_back({f.batch, f.fitted / 1e3});
  return LatencyCurve(std::move(c));
}

}  // namespace

std::vector<ModelAccuracy> holdout_accuracy(const LatencyProfile& profile) {
  std::vector<ModelAccuracy> out;
  for (const auto& [name, model] : profile.models) {
    std::vector<LatencyPoint> kept;
    for (const auto& p : model.single)
      if ((p.batch & (p.batch - 1)) == 0) kept.push_back(p);
    if (kept.size() < 2) continue;
    std::vector<LatencyCurve::Point> raw;
    for (const auto& p : kept) raw.push_back({p.batch, p.median_ms / 1e3});
    const LatencyCurve curve(raw);
    const LatencyCurve fitted = fitted_curve(kept);
    ModelAccuracy acc;
    acc.model = name;
    std::vector<double> errors, fit_errors;
    for (const auto& p : model.single) {
      if ((p.batch & (p.batch - 1)) == 0) continue;
      const double predicted = curve.seconds_at(p.batch) * 1e3;
      const double from_fit = fitted.seconds_at(p.batch) * 1e3;
      const double err = std::fabs(predicted - p.median_ms) / p.median_ms;
      const double fit_err = std::fabs(from_fit - p.median_ms) / p.median_ms;
      acc.points.push_back({p.batch, p.median_ms, predicted, err, from_fit, fit_err});
      errors.push_back(err);
      fit_errors.push_back(fit_err);
    }
    if (errors.empty()) continue;
    acc.median_error = median_of(errors);
    acc.max_error = *std::max_element(errors.begin(), errors.end());
    acc.fit_median_error = median_of(fit_errors);
    acc.fit_max_error = *std::max_element(fit_errors.begin(), fit_errors.end());
    acc.tau = fit_latency_curve(fit_inputs(model.single)).tau;
    out.push_back(std::move(acc));
  }
  return out;
}

}  // namespace recsim
