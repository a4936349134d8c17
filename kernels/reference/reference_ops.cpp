#include "kernels/reference/reference_ops.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace recsim {
namespace {

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// One GRU step for one item: h (hidden) <- cell(x, h), with the update gate scaled by (1 - a).
void gru_step(const GruWeights& g, const float* x, float* h, float a) {
  const int H = g.hidden;
  std::vector<float> gx(static_cast<std::size_t>(3 * H)), gh(static_cast<std::size_t>(3 * H));
  for (int j = 0; j < 3 * H; ++j) {
    float sx = g.b[static_cast<std::size_t>(j)];
    for (int i = 0; i < g.input; ++i) sx += x[i] * g.wx[static_cast<std::size_t>(i) * 3 * H + j];
    gx[static_cast<std::size_t>(j)] = sx;
  }
  std::vector<float> u(static_cast<std::size_t>(H)), r(static_cast<std::size_t>(H));
  for (int j = 0; j < 2 * H; ++j) {
    float s = gx[static_cast<std::size_t>(j)];
    for (int i = 0; i < H; ++i) s += h[i] * g.wh[static_cast<std::size_t>(i) * 3 * H + j];
    (j < H ? u[static_cast<std::size_t>(j)] : r[static_cast<std::size_t>(j - H)]) = sigmoid(s);
  }
  std::vector<float> o(static_cast<std::size_t>(H));
  for (int j = 0; j < H; ++j) {
    float s = gx[static_cast<std::size_t>(2 * H + j)];
    for (int i = 0; i < H; ++i) s += r[static_cast<std::size_t>(i)] * h[i] * g.wh[static_cast<std::size_t>(i) * 3 * H + 2 * H + j];
    o[static_cast<std::size_t>(j)] = std::tanh(s);
  }
  for (int j = 0; j < H; ++j) {
    const float uj = (1.0f - a) * u[static_cast<std::size_t>(j)];
    h[j] = uj * h[j] + (1.0f - uj) * o[static_cast<std::size_t>(j)];
  }
}

}  // namespace

void apply_activation(Activation a, float* x, int rows, int cols) {
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  switch (a) {
    case Activation::none: break;
    case Activation::relu:
      for (std::size_t i = 0; i < n; ++i) x[i] = std::max(0.0f, x[i]);
      break;
    case Activation::sigmoid:
      for (std::size_t i = 0; i < n; ++i) x[i] = sigmoid(x[i]);
      break;
    case Activation::softmax:
      for (int r = 0; r < rows; ++r) {
        float* p = x + static_cast<std::size_t>(r) * cols;
        const float top = *std::max_element(p, p + cols);
        float sum = 0.0f;
        for (int c = 0; c < cols; ++c) sum += (p[c] = std::exp(p[c] - top));
        for (int c = 0; c < cols; ++c) p[c] /= sum;
      }
      break;
  }
}

void ReferenceOps::embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out,
                                 int out_ld, int offset) {
  for (int b = 0; b < batch; ++b) {
    float* po = out + static_cast<std::size_t>(b) * out_ld + offset;
    for (int c = 0; c < table.dim; ++c) po[c] = 0.0f;
    for (int l = 0; l < table.lookups; ++l) {
      const float* row = table.data.data() + static_cast<std::size_t>(idx[static_cast<std::size_t>(b) * table.lookups + l]) * table.dim;
      for (int c = 0; c < table.dim; ++c) po[c] += row[c];
    }
  }
}

void ReferenceOps::mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) {
  std::vector<float> cur(static_cast<std::size_t>(rows) * mlp.in());
  for (int r = 0; r < rows; ++r)
    std::copy(in + static_cast<std::size_t>(r) * in_ld, in + static_cast<std::size_t>(r) * in_ld + mlp.in(),
              cur.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(r) * mlp.in()));
  for (std::size_t l = 0; l < mlp.layers.size(); ++l) {
    const auto& layer = mlp.layers[l];
    std::vector<float> next(static_cast<std::size_t>(rows) * layer.out);
    for (int r = 0; r < rows; ++r)
      for (int j = 0; j < layer.out; ++j) {
        float s = layer.b[static_cast<std::size_t>(j)];
        for (int i = 0; i < layer.in; ++i)
          s += cur[static_cast<std::size_t>(r) * layer.in + i] * layer.w[static_cast<std::size_t>(i) * layer.out + j];
        next[static_cast<std::size_t>(r) * layer.out + j] = s;
      }
    apply_activation(l + 1 == mlp.layers.size() ? mlp.last : Activation::relu, next.data(), rows, layer.out);
    cur.swap(next);
  }
  std::copy(cur.begin(), cur.end(), out);
}

void ReferenceOps::gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) {
  std::vector<float> h(static_cast<std::size_t>(g.hidden));
  for (int b = 0; b < batch; ++b) {
    std::fill(h.begin(), h.end(), 0.0f);
    for (int t = 0; t < steps; ++t) {
      gru_step(g, x + (static_cast<std::size_t>(t) * batch + b) * g.input, h.data(), 0.0f);
      std::copy(h.begin(), h.end(), h_all + (static_cast<std::size_t>(t) * batch + b) * g.hidden);
    }
  }
}

void ReferenceOps::augru(const GruWeights& g, const float* x, const float* att, int steps, int batch,
                         float* h_last) {
  std::vector<float> h(static_cast<std::size_t>(g.hidden));
  for (int b = 0; b < batch; ++b) {
    std::fill(h.begin(), h.end(), 0.0f);
    for (int t = 0; t < steps; ++t)
      gru_step(g, x + (static_cast<std::size_t>(t) * batch + b) * g.input, h.data(),
               att[static_cast<std::size_t>(t) * batch + b]);
    std::copy(h.begin(), h.end(), h_last + static_cast<std::size_t>(b) * g.hidden);
  }
}

}  // namespace recsim
