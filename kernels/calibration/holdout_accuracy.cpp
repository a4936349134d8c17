#include "kernels/calibration/holdout_accuracy.h"

#include <algorithm>
#include <cmath>

namespace recsim {

std::vector<ModelAccuracy> holdout_accuracy(const LatencyProfile& profile) {
  std::vector<ModelAccuracy> out;
  for (const auto& [name, model] : profile.models) {
    std::vector<LatencyCurve::Point> kept;
    for (const auto& p : model.single)
      if ((p.batch & (p.batch - 1)) == 0) kept.push_back({p.batch, p.median_ms / 1e3});
    if (kept.size() < 2) continue;
    const LatencyCurve curve(kept);
    ModelAccuracy acc;
    acc.model = name;
    std::vector<double> errors;
    for (const auto& p : model.single) {
      if ((p.batch & (p.batch - 1)) == 0) continue;
      const double predicted = curve.seconds_at(p.batch) * 1e3;
      const double err = std::fabs(predicted - p.median_ms) / p.median_ms;
      acc.points.push_back({p.batch, p.median_ms, predicted, err});
      errors.push_back(err);
    }
    if (errors.empty()) continue;
    std::sort(errors.begin(), errors.end());
    const std::size_t n = errors.size();
    acc.median_error = n % 2 ? errors[n / 2] : 0.5 * (errors[n / 2 - 1] + errors[n / 2]);
    acc.max_error = errors.back();
    out.push_back(std::move(acc));
  }
  return out;
}

}  // namespace recsim
