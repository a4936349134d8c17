#include "workloads/modulated_arrivals.h"

#include <algorithm>

namespace recsim {

ModulatedArrivals::ModulatedArrivals(double qps, std::unique_ptr<CumulativeRate> rate, Rng rng)
    : qps_(qps), rate_(std::move(rate)), rng_(std::move(rng)) {}

double ModulatedArrivals::next_gap() {
  sum_ += unit_(rng_);
  const double t = std::max(last_, rate_->time_at(sum_ / qps_));
  const double gap = t - last_;
  last_ = t;
  return gap;
}

}  // namespace recsim
