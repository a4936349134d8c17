#pragma once
// How well a profile predicts latencies it was not given: build each model's curve from a subset of
// the measured batch sizes (the powers of two), predict the others (the midpoints), and compare with
// their measurements, both by raw interpolation and by the fitted model (kernels/profiles/curve_fit.h)
// of the kept points. The whole ladder's fit gives the between-point noise (tau) beside.
#include "kernels/profiles/latency_profile.h"

#include <string>
#include <vector>

namespace recsim {

struct HoldoutError {
  int batch;
  double measured_ms, predicted_ms, relative_error;  // raw interpolation
  double fitted_ms, fit_relative_error;               // the fitted model
};

struct ModelAccuracy {
  std::string model;
  std::vector<HoldoutError> points;
  double median_error = 0, max_error = 0;          // raw interpolation
  double fit_median_error = 0, fit_max_error = 0;  // the fitted model
  double tau = 0;  // the between-point noise of the whole ladder's fit (relative)
};

// For each model of the profile. Batches kept: powers of two; predicted: every other measured batch.
std::vector<ModelAccuracy> holdout_accuracy(const LatencyProfile& profile);

}  // namespace recsim
