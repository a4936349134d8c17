// The CUDA backend's outputs against the naive reference: every model end to end, and the recurrent
// layers, attention, MLPs and embedding bags on their own with odd sizes. Run by tests/cuda_main.cpp,
// which reports them to CTest as skipped where no CUDA device is present.
#include "kernels/gpu/cuda_ops.h"
#include "kernels/model/model_forward.h"
#include "kernels/model/model_spec.h"
#include "kernels/reference/reference_ops.h"
#include "support/model_cases.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace recsim;
using namespace recsim::test;

namespace {

std::vector<float> random_values(std::size_t n, std::mt19937& rng, float bound = 0.5f) {
  std::uniform_real_distribution<float> u(-bound, bound);
  std::vector<float> v(n);
  for (auto& x : v) x = u(rng);
  return v;
}

GruWeights random_gru(int input, int hidden, std::mt19937& rng) {
  GruWeights g;
  g.input = input;
  g.hidden = hidden;
  g.wx = random_values(static_cast<std::size_t>(input) * 3 * hidden, rng);
  g.wh = random_values(static_cast<std::size_t>(hidden) * 3 * hidden, rng);
  g.b = random_values(static_cast<std::size_t>(3 * hidden), rng);
  return g;
}

// Device buffers of one CudaOps, filled from and read back to host vectors.
struct Device {
  CudaOps ops;
  float* put(const std::vector<float>& v) {
    float* d = ops.alloc_floats(v.size());
    ops.upload(v.data(), d, v.size() * sizeof(float));
    return d;
  }
  std::vector<float> get(const float* d, std::size_t n) {
    std::vector<float> v(n);
    ops.download(d, v.data(), n * sizeof(float));
    return v;
  }
};

}  // namespace

TEST_CASE("CUDA backend matches the naive reference for every model", "[cuda]") {
  const auto name = GENERATE(from_range(defined_model_names()));
  const int batch = GENERATE(1, 3, 17);
  CAPTURE(name, batch);
  const ModelCase c = make_model_case(name, batch);
  ReferenceOps reference_ops;
  CudaOps cuda_ops;
  ModelForward reference(c.weights, reference_ops, 32), cuda(c.weights, cuda_ops, 32);
  const auto expected = outputs_of(reference, c);
  const auto actual = outputs_of(cuda, c);
  CHECK(worst_difference(actual, expected) <= 1e-4);
  // Cached weights and reused scratch give the same answer.
  CHECK(worst_difference(outputs_of(cuda, c), actual) == 0.0);
  check_plausible_outputs(actual, c);
}

TEST_CASE("CUDA recurrent layers and sequence attention match the naive reference", "[cuda]") {
  const int steps = GENERATE(1, 7), batch = GENERATE(1, 5), input = 12, hidden = 37;
  CAPTURE(steps, batch);
  std::mt19937 rng(11);
  const GruWeights gru = random_gru(input, hidden, rng), augru = random_gru(hidden, hidden, rng);
  const std::size_t BH = static_cast<std::size_t>(batch) * hidden, TB = static_cast<std::size_t>(steps) * batch;
  const std::vector<float> x = random_values(TB * input, rng, 1.0f), query = random_values(BH, rng, 1.0f);

  ReferenceOps ref;
  std::vector<float> h_all(TB * hidden), att(TB), h_last(BH);
  ref.gru(gru, x.data(), steps, batch, h_all.data());
  ref.sequence_attention(h_all.data(), query.data(), steps, batch, hidden, att.data());
  ref.augru(augru, h_all.data(), att.data(), steps, batch, h_last.data());

  Device dev;
  float* d_x = dev.put(x);
  float* d_query = dev.put(query);
  float* d_h_all = dev.ops.alloc_floats(h_all.size());
  float* d_att = dev.ops.alloc_floats(att.size());
  float* d_h_last = dev.ops.alloc_floats(h_last.size());
  dev.ops.gru(gru, d_x, steps, batch, d_h_all);
  CHECK(worst_difference(dev.get(d_h_all, h_all.size()), h_all) <= 1e-5);
  dev.ops.sequence_attention(d_h_all, d_query, steps, batch, hidden, d_att);
  CHECK(worst_difference(dev.get(d_att, att.size()), att) <= 1e-5);
  dev.ops.augru(augru, d_h_all, d_att, steps, batch, d_h_last);
  CHECK(worst_difference(dev.get(d_h_last, h_last.size()), h_last) <= 1e-5);
}

TEST_CASE("CUDA MLPs and embedding bags honour strides and offsets", "[cuda]") {
  const Activation last = GENERATE(Activation::none, Activation::relu, Activation::sigmoid, Activation::softmax);
  CAPTURE(static_cast<int>(last));
  std::mt19937 rng(7);
  const int rows = 9, in_ld = 25;
  Mlp mlp;
  int in = 20;
  for (int out : {33, 70, 7}) {
    DenseLayer layer;
    layer.in = in;
    layer.out = out;
    layer.w = random_values(static_cast<std::size_t>(in) * out, rng);
    layer.b = random_values(static_cast<std::size_t>(out), rng);
    mlp.layers.push_back(std::move(layer));
    in = out;
  }
  mlp.last = last;
  const std::vector<float> x = random_values(static_cast<std::size_t>(rows) * in_ld, rng, 1.0f);
  ReferenceOps ref;
  std::vector<float> expected(static_cast<std::size_t>(rows) * mlp.out());
  ref.mlp(mlp, x.data(), in_ld, rows, expected.data());
  Device dev;
  float* d_x = dev.put(x);
  float* d_out = dev.ops.alloc_floats(expected.size());
  dev.ops.mlp(mlp, d_x, in_ld, rows, d_out);
  CHECK(worst_difference(dev.get(d_out, expected.size()), expected) <= 1e-5);

  EmbeddingTable table;
  table.rows = 50;
  table.dim = 40;
  table.lookups = 3;
  table.data = random_values(static_cast<std::size_t>(table.rows) * table.dim, rng);
  const int batch = 6, out_ld = 100, offset = 7;
  std::vector<std::int32_t> idx(static_cast<std::size_t>(batch) * table.lookups);
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = static_cast<std::int32_t>((i * 17) % 50);
  std::vector<float> pooled(static_cast<std::size_t>(batch) * out_ld, 0.0f);
  ref.embedding_bag(table, idx.data(), batch, pooled.data(), out_ld, offset);
  float* d_pooled = dev.put(std::vector<float>(pooled.size(), 0.0f));
  std::int32_t* d_idx = dev.ops.alloc_ints(idx.size());
  dev.ops.upload(idx.data(), d_idx, idx.size() * sizeof(std::int32_t));
  dev.ops.embedding_bag(table, d_idx, batch, d_pooled, out_ld, offset);
  CHECK(worst_difference(dev.get(d_pooled, pooled.size()), pooled) <= 1e-6);
}
