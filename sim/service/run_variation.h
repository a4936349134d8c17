#pragma once
// One request's own variation around its size's median time: a factor drawn per request from a
// split lognormal whose median is 1 and whose 10th and 90th percentiles are the profile's measured
// within-pass spread at that size (kernels/profiles/latency_curve.h, RunSpreadPoint): below the
// median exp(sigma_low z), above it exp(sigma_high z), z standard normal, sigma = |ln ratio| / 1.2816
// on each side, so that a skewed spread (a few slow runs) stays skewed. Between two measured sizes
// the sigmas are interpolated linearly in the size; outside them the nearest size's hold.
//
// Without it every request of a size and history takes one time, and the queue behind them is
// shorter than on a real core, where the same size takes a little more or less each time (validate
// at 60% and 85% load: the served times per size replayed exactly gave p95 7-8% below serving).
#include "kernels/profiles/latency_curve.h"
#include "workloads/random_stream.h"

#include <vector>

namespace recsim {

class RunVariation {
 public:
  RunVariation() = default;
  // Increasing batch sizes; p10 <= 1 <= p90 (clamped so). Throws std::invalid_argument otherwise.
  explicit RunVariation(const std::vector<RunSpreadPoint>& points);
  // One request's factor (1 where nothing was measured).
  double draw(int items, Rng& rng) const;
  // The factor's mean: exp(sl^2/2) Phi(-sl) + exp(sh^2/2) Phi(sh) (> 1 when the spread is not empty).
  double mean(int items) const;

 private:
  struct Sigmas {
    double low = 0.0, high = 0.0;
  };
  Sigmas at(int items) const;
  struct Point {
    int batch;
    Sigmas sigmas;
  };
  std::vector<Point> points_;
};

}  // namespace recsim
