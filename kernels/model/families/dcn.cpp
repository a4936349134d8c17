// DCN V2 (Wang et al., "DCN V2: Improved Deep & Cross Network", WWW 2021), the parallel structure
// of HugeCTR's DCN sample: x0 = [dense, pooled embeddings]; a cross network of L full-rank layers
// x_{l+1} = x0 * (x_l W_l + b_l) + x_l (element-wise *); beside it the deep network (top_mlp, ReLU)
// over x0; [x_L, deep output] through the final MLP (sigmoid).
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

int cross_layers(const ModelSpec& m) { return m.family_sizes.at("cross_layers"); }

void parse(JsonReader& r, ModelSpec& m) {
  m.family_sizes["cross_layers"] = static_cast<int>(r.integer("cross_layers", 1, 16));
  m.final_mlp = read_layer_widths(r, "final_mlp", true);
}

void check(const ModelSpec&, const StructureCheck&) {}

int top_width(const ModelSpec& m) { return m.dense_features + sum_dims(m, ""); }

int outputs_per_item(const ModelSpec& m) { return m.final_mlp.back(); }

double flops_per_item(const ModelSpec& m) {
  const double x = top_width(m);
  // Each cross layer: the D x D product with its bias (2 D^2 + D), the element-wise product and the sum (2 D).
  return cross_layers(m) * (2.0 * x * x + 3.0 * x) + mlp_flops(top_width(m), m.top_mlp) +
         mlp_flops(top_width(m) + m.top_mlp.back(), m.final_mlp);
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  for (int l = 0; l < cross_layers(m); ++l) w.family_mlps.push_back(make_mlp(top_in, {top_in}, Activation::none, rng));
  w.top = make_mlp(top_in, m.top_mlp, Activation::relu, rng);
  w.final_mlp = make_mlp(top_in + m.top_mlp.back(), m.final_mlp, Activation::sigmoid, rng);
}

void allocate(ForwardPass& f) {
  const auto x = static_cast<std::size_t>(f.top_in), deep = static_cast<std::size_t>(f.weights.top.out());
  f.add_scratch(x);         // 1: x_l W_l + b_l
  f.add_scratch(2 * x);     // 2: [x0 * (x_l W_l + b_l), x_l], summed into the next x
  f.add_scratch(x);         // 3, 4: x_l, alternately
  f.add_scratch(x);
  f.add_scratch(deep);      // 5: the deep network's output
  f.add_scratch(x + deep);  // 6: the final MLP's input
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  const int x = f.top_in, dense = w.spec.dense_features, deep = w.top.out();
  float* x0 = f.scratch[0];
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, f.batch, dense, x0, x, 0);
  f.pool_tables("", x0, x, dense);
  const float* xl = x0;
  for (std::size_t l = 0; l < w.family_mlps.size(); ++l) {
    float* next = f.scratch[3 + l % 2];
    f.ops.mlp(w.family_mlps[l], xl, x, f.batch, f.scratch[1]);
    f.ops.multiply_block(x0, 0, f.scratch[1], 0, x, f.batch, x, f.scratch[2], 2 * x, 0);
    f.ops.copy_block(xl, x, 0, f.batch, x, f.scratch[2], 2 * x, x);
    f.ops.sum_blocks(f.scratch[2], 2 * x, f.batch, 2, x, next);
    xl = next;
  }
  f.ops.mlp(w.top, x0, x, f.batch, f.scratch[5]);
  f.ops.copy_block(xl, x, 0, f.batch, x, f.scratch[6], x + deep, 0);
  f.ops.copy_block(f.scratch[5], deep, 0, f.batch, deep, f.scratch[6], x + deep, x);
  f.ops.mlp(w.final_mlp, f.scratch[6], x + deep, f.batch, f.out);
}

}  // namespace

const ModelFamily& dcn_family() {
  static const ModelFamily family{"dcn", {"cross_layers", "final_mlp"}, {}, parse, check, top_width, outputs_per_item,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
