// DeepFM (Guo et al., IJCAI 2017): a factorisation machine and a deep network share the fields'
// embeddings. Tables of role "field" are the F fields' k-wide embeddings (one common k); tables of
// role "linear" (width 1) are the fields' first-order weights. The FM's first order is a linear layer
// over [dense, linear weights]; its second order, sum over f < g of <v_f, v_g>, is computed as
// 1/2 sum_k ((sum_f v_fk)^2 - sum_f v_fk^2); the deep network (top_mlp, ReLU, ending in width 1)
// reads [dense, field embeddings]; the output is sigmoid(first order + second order + deep).
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader&, ModelSpec&) {}

void check(const ModelSpec& m, const StructureCheck& need) {
  need(count_role(m, "field") >= 2 && uniform_dim(m, "field"), "tables",
       "DeepFM needs at least two \"field\" tables with one common dimension");
  for (const auto& g : m.tables)
    need(!g.role.empty(), "tables", "every DeepFM table is a \"field\" embedding or a \"linear\" (first-order) weight");
  need(count_role(m, "linear") == 0 || first_dim(m, "linear") == 1, "tables", "DeepFM's \"linear\" tables are one wide");
  need(m.top_mlp.back() == 1, "top_mlp", "DeepFM's deep network ends in width 1");
  need(m.dense_features + count_role(m, "linear") >= 1, "tables", "DeepFM's first order needs dense features or \"linear\" tables");
}

int fields(const ModelSpec& m) { return count_role(m, "field"); }
int field_dim(const ModelSpec& m) { return first_dim(m, "field"); }
int linear_width(const ModelSpec& m) { return m.dense_features + count_role(m, "linear"); }

int top_width(const ModelSpec& m) { return m.dense_features + sum_dims(m, "field"); }

double flops_per_item(const ModelSpec& m) {
  const double f = fields(m), k = field_dim(m);
  // The squares, their two sums over fields and the square of the sum; the reduction; first order; sum.
  const double fm = f * k + 2.0 * f * k + k + 2.0 * 2.0 * k + 2.0 * linear_width(m);
  return fm + mlp_flops(top_width(m), m.top_mlp) + 2.0 * 3.0;
}

// A layer of fixed weights (no randomness): out = x W, W given by column.
Mlp fixed_layer(const std::vector<float>& weights, Activation last) {
  Mlp mlp;
  DenseLayer l;
  l.in = static_cast<int>(weights.size());
  l.out = 1;
  l.w = weights;
  l.b = {0.0f};
  mlp.layers.push_back(std::move(l));
  mlp.last = last;
  return mlp;
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  w.top = make_mlp(top_in, m.top_mlp, Activation::none, rng);
  // family_mlps: 0 the first order (learned), 1 the second order's reduction [+1/2 ..., -1/2 ...],
  // 2 the sum of the three parts with the sigmoid.
  w.family_mlps.push_back(make_mlp(linear_width(m), {1}, Activation::none, rng));
  const auto k = static_cast<std::size_t>(field_dim(m));
  std::vector<float> halves(2 * k, 0.5f);
  std::fill(halves.begin() + static_cast<std::ptrdiff_t>(k), halves.end(), -0.5f);
  w.family_mlps.push_back(fixed_layer(halves, Activation::none));
  w.family_mlps.push_back(fixed_layer({1.0f, 1.0f, 1.0f}, Activation::sigmoid));
}

void allocate(ForwardPass& f) {
  const auto& m = f.weights.spec;
  const auto k = static_cast<std::size_t>(field_dim(m)), nk = static_cast<std::size_t>(sum_dims(m, "field"));
  f.add_scratch(nk);                                          // 1: the fields' embeddings, side by side
  f.add_scratch(nk);                                          // 2: their squares
  f.add_scratch(k);                                           // 3: the sum over fields
  f.add_scratch(k);                                           // 4: the sum of the squares
  f.add_scratch(2 * k);                                       // 5: [(sum)^2, sum of squares]
  f.add_scratch(static_cast<std::size_t>(linear_width(m)));  // 6: [dense, first-order weights]
  f.add_scratch(1);                                           // 7, 8, 9: first order, second order, deep
  f.add_scratch(1);
  f.add_scratch(1);
  f.add_scratch(3);                                           // 10: the three side by side
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  const auto& m = w.spec;
  const int dense = m.dense_features, k = field_dim(m), n = fields(m), nk = n * k, x = f.top_in, lin = linear_width(m);
  const int b = f.batch;
  auto& s = f.scratch;
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, b, dense, s[0], x, 0);
  f.pool_tables("field", s[0], x, dense);
  // Second order: 1/2 sum_k ((sum_f v_fk)^2 - sum_f v_fk^2).
  f.ops.copy_block(s[0], x, dense, b, nk, s[1], nk, 0);
  f.ops.multiply_block(s[1], 0, s[1], 0, nk, b, nk, s[2], nk, 0);
  f.ops.sum_blocks(s[1], nk, b, n, k, s[3]);
  f.ops.sum_blocks(s[2], nk, b, n, k, s[4]);
  f.ops.multiply_block(s[3], 0, s[3], 0, k, b, k, s[5], 2 * k, 0);
  f.ops.copy_block(s[4], k, 0, b, k, s[5], 2 * k, k);
  f.ops.mlp(w.family_mlps[1], s[5], 2 * k, b, s[8]);
  // First order: a linear layer over the dense features and the fields' first-order weights.
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, b, dense, s[6], lin, 0);
  f.pool_tables("linear", s[6], lin, dense);
  f.ops.mlp(w.family_mlps[0], s[6], lin, b, s[7]);
  // Deep, then the sum of the three through the sigmoid.
  f.ops.mlp(w.top, s[0], x, b, s[9]);
  for (int part = 0; part < 3; ++part) f.ops.copy_block(s[7 + static_cast<std::size_t>(part)], 1, 0, b, 1, s[10], 3, part);
  f.ops.mlp(w.family_mlps[2], s[10], 3, b, f.out);
}

}  // namespace

const ModelFamily& deepfm_family() {
  static const ModelFamily family{"deepfm", {}, {"field", "linear"}, parse, check, top_width, nullptr, flops_per_item,
                                  make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
