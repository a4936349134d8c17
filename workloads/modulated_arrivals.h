#pragma once
// A Poisson process whose rate varies in time: mean rate qps times a relative rate s(t) of mean 1
// (workloads/cumulative_rate.h: a day's curve, a table, on-off bursts), by a time change of unit
// exponential draws, so raising qps moves every arrival earlier with the same draws.
#include "workloads/arrival_process.h"
#include "workloads/cumulative_rate.h"
#include "workloads/random_stream.h"

#include <boost/random/exponential_distribution.hpp>

#include <memory>

namespace recsim {

class ModulatedArrivals final : public ArrivalProcess {
 public:
  ModulatedArrivals(double qps, std::unique_ptr<CumulativeRate> rate, Rng rng);
  double next_gap() override;

 private:
  double qps_;
  std::unique_ptr<CumulativeRate> rate_;
  Rng rng_;
  boost::random::exponential_distribution<double> unit_{1.0};
  double sum_ = 0.0;   // E_1 + ... + E_n
  double last_ = 0.0;  // the previous arrival's time
};

}  // namespace recsim
