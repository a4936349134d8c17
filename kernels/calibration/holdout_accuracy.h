#pragma once
// How well interpolation predicts latencies it was not given: build each model's curve from a
// subset of the measured batch sizes (the powers of two), predict the others (the midpoints), and
// compare with their measurements.
#include "kernels/profiles/latency_profile.h"

#include <string>
#include <vector>

namespace recsim {

struct HoldoutError {
  int batch;
  double measured_ms, predicted_ms, relative_error;
};

struct ModelAccuracy {
  std::string model;
  std::vector<HoldoutError> points;
  double median_error = 0, max_error = 0;
};

// For each model of the profile. Batches kept: powers of two; predicted: every other measured batch.
std::vector<ModelAccuracy> holdout_accuracy(const LatencyProfile& profile);

}  // namespace recsim
