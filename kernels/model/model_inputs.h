#pragma once
// One batch of a model's inputs: dense features and, per table, the embedding keys of every item.
// Keys come from the key generators of workloads/ (uniform or power law).
#include "kernels/model/model_weights.h"
#include "workloads/random_stream.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace recsim {

struct ModelInputs {
  int batch = 0;
  std::vector<float> dense;                       // batch x dense_features
  std::vector<std::vector<std::int32_t>> indices; // per table: batch x lookups
  // The bytes of its features and keys (the data, not the vectors' own overhead).
  std::size_t bytes() const {
    std::size_t n = dense.size() * sizeof(float);
    for (const auto& t : indices) n += t.size() * sizeof(std::int32_t);
    return n;
  }
};

struct KeyPopularity {
  enum class Kind { uniform, power_law } kind = Kind::uniform;
  double alpha = 0.0;  // power law exponent
};

ModelInputs make_model_inputs(const ModelWeights& weights, int batch, const KeyPopularity& keys, Rng& rng);

}  // namespace recsim
