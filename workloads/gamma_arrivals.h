#pragma once
// A gamma renewal process: independent gamma-distributed gaps with mean 1/qps and a given
// coefficient of variation (cv 1: Poisson's spread; above 1 burstier, below 1 more regular). Gaps
// are drawn at unit mean and scaled by 1/qps (common random numbers across rates).
#include "workloads/arrival_process.h"
#include "workloads/random_stream.h"

#include <boost/random/gamma_distribution.hpp>

namespace recsim {

class GammaArrivals final : public ArrivalProcess {
 public:
  GammaArrivals(double qps, double cv, Rng rng);
  double next_gap() override;

 private:
  double qps_;
  Rng rng_;
  boost::random::gamma_distribution<double> unit_gap_;  // shape 1/cv^2, scale cv^2: mean 1
};

}  // namespace recsim
