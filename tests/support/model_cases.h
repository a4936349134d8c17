#pragma once
// A shipped model with small tables and one batch of inputs, and the forward pass of any backend
// over it: the common ground of the backend-against-reference tests.
#include "kernels/model/model_forward.h"
#include "kernels/model/model_spec.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace recsim::test {

struct ModelCase {
  ModelSpec spec;
  ModelWeights weights;
  ModelInputs inputs;
  std::size_t outputs() const { return static_cast<std::size_t>(inputs.batch) * spec.outputs_per_item(); }
};

// Every model definition the kernels must build: the eleven shipped models and the MLPerf DLRM (dot
// interaction) that the GPU model's fit uses.
inline const std::vector<std::string>& defined_model_names() {
  static const std::vector<std::string> names = [] {
    auto n = shipped_model_names();
    n.push_back("dlrm-mlperf");
    return n;
  }();
  return names;
}

// Tables shrunk to 16 MB, weights seeded 42, keys from a power law (alpha 1.05).
inline ModelCase make_model_case(const std::string& name, int batch, std::uint64_t key_seed = 3) {
  ModelCase c{load_model_spec(model_file(name)), {}, {}};
  c.weights = make_model_weights(c.spec, rows_scale_for(c.spec, 16e6), 42);
  Rng rng = make_stream(key_seed, StreamId::keys);
  c.inputs = make_model_inputs(c.weights, batch, {KeyPopularity::Kind::power_law, 1.05}, rng);
  return c;
}

// The outputs of `forward` on the case's inputs.
inline std::vector<float> outputs_of(ModelForward& forward, const ModelCase& c) {
  std::vector<float> out(c.outputs());
  forward.forward(c.inputs, out.data());
  return out;
}

// Largest absolute difference; both must be finite and the same size.
inline double worst_difference(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    REQUIRE(std::isfinite(a[i]));
    REQUIRE(std::isfinite(b[i]));
    worst = std::max(worst, static_cast<double>(std::fabs(a[i] - b[i])));
  }
  return worst;
}

// Outputs are probabilities, and not all equal (the model depends on its inputs).
inline void check_plausible_outputs(const std::vector<float>& out, const ModelCase& c) {
  for (float x : out) CHECK((x >= 0.0f && x <= 1.0f));
  if (c.inputs.batch > 1) CHECK(out[0] != out[out.size() - static_cast<std::size_t>(c.spec.outputs_per_item())]);
}

}  // namespace recsim::test
