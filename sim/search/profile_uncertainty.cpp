#include "sim/search/profile_uncertainty.h"

#include "sim/scenario/query_sizes.h"

#include <cmath>

namespace recsim {

ProfileUncertainty::ProfileUncertainty(const Scenario& scenario, double precision) : search_(precision / std::sqrt(12.0)) {
  // One model's (tune's): its service on the first kind hosting it.
  const FleetModel& model = scenario.fleet.models.front();
  const ServiceSpec& service = model.first_service();
  if (service.type != "model" || !service.curve) return;
  curve_ = &*service.curve;
  if (model.query_size.from_trace()) {
    sizes_ = {model.query_size.largest()};
    return;
  }
  auto distribution = make_query_sizes(model.query_size);
  Rng rng(0x5e1f5e);
  sizes_.resize(20000);
  for (int& n : sizes_) n = distribution->sample(rng);
}

double ProfileUncertainty::relative_error(const TuneConfig& config) const {
  double work = 0, error = 0;
  const auto add = [&](int items, int count) {
    const double t = curve_->seconds_at(items);
    work += count * t;
    error += count * t * curve_->rel_se_at(items);
  };
  if (curve_)
    for (int n : sizes_) {
      if (config.gpu_threshold && n >= *config.gpu_threshold) continue;  // offloaded: the GPU's profile
      const int b = std::max(1, config.batch_size);
      if (n / b > 0) add(b, n / b);
      if (n % b > 0) add(n % b, 1);
    }
  const double profile = work > 0 ? error / work : 0.0;
  return std::hypot(profile, search_);
}

}  // namespace recsim
