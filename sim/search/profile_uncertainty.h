#pragma once
// How uncertain a configuration's max load is as a measure of the configuration, from what the
// simulation was given: the fitted profile's relative standard error at the request sizes the
// configuration runs (kernels/profiles/curve_fit.h; the sizes' errors taken as fully correlated, so
// the work's relative error is the work-weighted mean of theirs) and the capacity search's
// precision (its answer lies in a bracket of that relative width: sd precision / sqrt(12)). The
// max load scales as 1 / the work per query, so the relative errors carry over. Random streams are
// shared by every configuration of a tune (common random numbers): the run's own sampling noise
// largely cancels between configurations and is measured apart (docs/tuning.md).
#include "sim/scenario/scenario.h"
#include "sim/scheduling/tune_config.h"

namespace recsim {

class ProfileUncertainty {
 public:
  // Query sizes from 20,000 draws of a fixed stream (an arrival trace: its largest size, standing for
  // them all; its sizes are read by the run itself).
  ProfileUncertainty(const Scenario& scenario, double precision);
  double relative_error(const TuneConfig& config) const;

 private:
  const LatencyCurve* curve_ = nullptr;  // none: not a profiled service (exact)
  std::vector<int> sizes_;
  double search_ = 0;
};

}  // namespace recsim
