#pragma once
// The Poisson arrival generator: exponential inter-arrival gaps in virtual time. Gaps are drawn
// at unit rate and scaled by 1/qps, so two runs with the same seed at different rates see the same
// random numbers (common random numbers), which keeps capacity searches monotone.
#include "workloads/arrival_process.h"
#include "workloads/random_stream.h"

#include <boost/random/exponential_distribution.hpp>

namespace recsim {

class PoissonArrivals final : public ArrivalProcess {
 public:
  PoissonArrivals(double qps, Rng rng);
  // Seconds from the previous arrival to the next one.
  double next_gap() override;
  double qps() const { return qps_; }

 private:
  double qps_;
  Rng rng_;
  boost::random::exponential_distribution<double> unit_gap_{1.0};
};

}  // namespace recsim
