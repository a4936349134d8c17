// NCF (NeuMF, He et al. 2017): an MLP tower over [dense, user, item] and a matrix-factorisation
// branch (user * item), joined by the final MLP. Tables: user (MLP), user (MF), item (MLP), item (MF).
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader& r, ModelSpec& m) { m.final_mlp = read_layer_widths(r, "final_mlp", false); }

void check(const ModelSpec& m, const StructureCheck& need) {
  need(count_role(m, "user") == 2 && count_role(m, "item") == 2, "tables",
       "NCF needs two \"user\" tables (MLP, MF) and two \"item\" tables (MLP, MF)");
  need(uniform_dim(m, "user") && first_dim(m, "user") == first_dim(m, "item"), "tables", "NCF's user and item tables need one common dimension");
  need(!m.final_mlp.empty(), "final_mlp", "NCF needs a final MLP");
}

int top_width(const ModelSpec& m) { return m.dense_features + 2 * first_dim(m, "user"); }

int outputs_per_item(const ModelSpec& m) { return m.final_mlp.back(); }

double flops_per_item(const ModelSpec& m) {
  const int d = first_dim(m, "user");
  return mlp_flops(m.dense_features + 2 * d, m.top_mlp) + d + mlp_flops(m.top_mlp.back() + d, m.final_mlp);
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  w.top = make_mlp(top_in, m.top_mlp, Activation::relu, rng);
  w.final_mlp = make_mlp(m.top_mlp.back() + first_dim(m, "user"), m.final_mlp, Activation::sigmoid, rng);
}

void allocate(ForwardPass& f) {
  const auto u = static_cast<std::size_t>(first_dim(f.weights.spec, "user"));
  const auto t = static_cast<std::size_t>(f.weights.top.out());
  f.add_scratch(4 * u);    // 1: the four embeddings
  f.add_scratch(t);        // 2: MLP tower
  f.add_scratch(t + u);    // 3: final MLP input
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  const int u = first_dim(w.spec, "user"), dense = w.spec.dense_features;
  float* emb = f.scratch[1];
  f.pool_tables("user", emb, 4 * u, 0);
  f.pool_tables("item", emb, 4 * u, 2 * u);
  float* top = f.scratch[0];
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, f.batch, dense, top, f.top_in, 0);
  f.ops.copy_block(emb, 4 * u, 0, f.batch, u, top, f.top_in, dense);          // user (MLP)
  f.ops.copy_block(emb, 4 * u, 2 * u, f.batch, u, top, f.top_in, dense + u);  // item (MLP)
  f.ops.mlp(w.top, top, f.top_in, f.batch, f.scratch[2]);
  const int t = w.top.out();
  float* fin = f.scratch[3];
  f.ops.copy_block(f.scratch[2], t, 0, f.batch, t, fin, t + u, 0);
  f.ops.multiply_block(emb, u, emb, 3 * u, 4 * u, f.batch, u, fin, t + u, t);  // user (MF) * item (MF)
  f.ops.mlp(w.final_mlp, fin, t + u, f.batch, f.out);
}

}  // namespace

const ModelFamily& ncf_family() {
  static const ModelFamily family{"ncf", {"final_mlp"}, {"user", "item"}, parse, check, top_width, outputs_per_item,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
