#include "workloads/gamma_arrivals.h"

namespace recsim {

GammaArrivals::GammaArrivals(double qps, double cv, Rng rng) : qps_(qps), rng_(std::move(rng)), unit_gap_(1.0 / (cv * cv), cv * cv) {}

double GammaArrivals::next_gap() { return unit_gap_(rng_) / qps_; }

}  // namespace recsim
