// DLRM (Naumov et al. 2019; DeepRecSys' RMC1-3 and MLPerf's): a bottom MLP over the dense features,
// the pooled embeddings beside its output, concatenated into the top MLP's input, or (the dot
// interaction) the bottom output followed by the dot products of every pair of those vectors.
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader& r, ModelSpec& m) {
  m.bottom_mlp = read_layer_widths(r, "bottom_mlp", false);
  if (r.has("interaction"))
    m.interaction = r.choice("interaction", {"concat", "dot"}) == "dot" ? Interaction::dot : Interaction::concat;
}

void check(const ModelSpec& m, const StructureCheck& need) {
  need(!m.bottom_mlp.empty(), "bottom_mlp", "a DLRM needs a bottom MLP");
  need(m.dense_features > 0, "dense_features", "a DLRM needs dense features");
  if (m.interaction == Interaction::dot)
    for (const auto& t : m.tables)
      need(t.dim == m.bottom_mlp.back(), "interaction",
           "a dot interaction needs every table's dim equal to the bottom MLP's last width (" + std::to_string(m.bottom_mlp.back()) + ")");
}

int top_width(const ModelSpec& m) {
  if (m.interaction == Interaction::dot) {
    const int f = m.table_count() + 1;
    return m.bottom_mlp.back() + f * (f - 1) / 2;
  }
  return m.bottom_mlp.back() + sum_dims(m, "");
}

double flops_per_item(const ModelSpec& m) {
  if (m.interaction == Interaction::dot) {
    const double f = m.table_count() + 1, d = m.bottom_mlp.back();
    return mlp_flops(m.dense_features, m.bottom_mlp) + f * (f - 1) * d + mlp_flops(top_width(m), m.top_mlp);
  }
  return mlp_flops(m.dense_features, m.bottom_mlp) + mlp_flops(m.bottom_mlp.back() + sum_dims(m, ""), m.top_mlp);
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  w.bottom = make_mlp(m.dense_features, m.bottom_mlp, Activation::relu, rng);
  w.top = make_mlp(top_in, m.top_mlp, Activation::sigmoid, rng);
}

void allocate(ForwardPass& f) {
  f.add_scratch(static_cast<std::size_t>(f.weights.bottom.out()));  // 1: bottom output
  if (f.weights.spec.interaction == Interaction::dot)
    f.add_scratch(static_cast<std::size_t>(dlrm_features_width(f.weights.spec)));  // 2: features before the dots
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  float* top = f.scratch[0];
  const bool dot = w.spec.interaction == Interaction::dot;
  float* features = dot ? f.scratch[2] : top;
  const int features_ld = dot ? dlrm_features_width(w.spec) : f.top_in;
  f.ops.mlp(w.bottom, f.dense, w.spec.dense_features, f.batch, f.scratch[1]);
  f.ops.copy_block(f.scratch[1], w.bottom.out(), 0, f.batch, w.bottom.out(), features, features_ld, 0);
  f.pool_tables("", features, features_ld, w.bottom.out());
  if (dot) f.ops.pairwise_dot(features, f.batch, w.spec.table_count() + 1, w.bottom.out(), top, f.top_in);
  f.ops.mlp(w.top, top, f.top_in, f.batch, f.out);
}

}  // namespace

int dlrm_features_width(const ModelSpec& m) { return m.bottom_mlp.back() + sum_dims(m, ""); }

const ModelFamily& dlrm_family() {
  static const ModelFamily family{"dlrm", {"bottom_mlp", "interaction"}, {}, parse, check, top_width, nullptr,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
