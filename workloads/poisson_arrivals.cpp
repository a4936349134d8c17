#include "workloads/poisson_arrivals.h"

namespace recsim {

PoissonArrivals::PoissonArrivals(double qps, Rng rng) : qps_(qps), rng_(std::move(rng)) {}

double PoissonArrivals::next_gap() { return unit_gap_(rng_) / qps_; }

}  // namespace recsim
