// Wide&Deep (Cheng et al. 2016): the dense features and every pooled embedding side by side
// through one MLP.
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader&, ModelSpec&) {}
void check(const ModelSpec&, const StructureCheck&) {}

int top_width(const ModelSpec& m) { return m.dense_features + sum_dims(m, ""); }

double flops_per_item(const ModelSpec& m) { return mlp_flops(top_width(m), m.top_mlp); }

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  w.top = make_mlp(top_in, m.top_mlp, Activation::sigmoid, rng);
}

void allocate(ForwardPass&) {}

void compute(ForwardPass& f) {
  float* top = f.scratch[0];
  const int dense = f.weights.spec.dense_features;
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, f.batch, dense, top, f.top_in, 0);
  f.pool_tables("", top, f.top_in, dense);
  f.ops.mlp(f.weights.top, top, f.top_in, f.batch, f.out);
}

}  // namespace

const ModelFamily& wnd_family() {
  static const ModelFamily family{"wnd", {}, {}, parse, check, top_width, nullptr, flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
