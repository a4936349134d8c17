// MMoE (Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate
// Mixture-of-Experts", KDD 2018): x = [dense, pooled embeddings]; E experts, each an MLP of the
// top_mlp widths (ReLU) over x; per task a gate, softmax(x W_t + b_t) over the experts, weighs their
// outputs into the task's input; each task's tower (task_mlp, sigmoid); each item returns every
// task's outputs.
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

int experts(const ModelSpec& m) { return m.family_sizes.at("experts"); }

void parse(JsonReader& r, ModelSpec& m) {
  m.family_sizes["experts"] = static_cast<int>(r.integer("experts", 1, 64));
  m.tasks = static_cast<int>(r.integer("tasks", 1, 64));
  m.task_mlp = read_layer_widths(r, "task_mlp", true);
}

void check(const ModelSpec&, const StructureCheck&) {}

int top_width(const ModelSpec& m) { return m.dense_features + sum_dims(m, ""); }

int outputs_per_item(const ModelSpec& m) { return m.tasks * m.task_mlp.back(); }

double flops_per_item(const ModelSpec& m) {
  const int x = top_width(m), e = experts(m), h = m.top_mlp.back();
  // The experts, the gates, each task's weighted sum of the experts (2 E h) and its tower.
  return e * mlp_flops(x, m.top_mlp) + m.tasks * (mlp_flops(x, {e}) + 2.0 * e * h + mlp_flops(h, m.task_mlp));
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  // family_mlps: the experts, then one gate per task.
  for (int e = 0; e < experts(m); ++e) w.family_mlps.push_back(make_mlp(top_in, m.top_mlp, Activation::relu, rng));
  for (int t = 0; t < m.tasks; ++t) w.family_mlps.push_back(make_mlp(top_in, {experts(m)}, Activation::softmax, rng));
  for (int t = 0; t < m.tasks; ++t) w.task_heads.push_back(make_mlp(m.top_mlp.back(), m.task_mlp, Activation::sigmoid, rng));
}

void allocate(ForwardPass& f) {
  const auto& m = f.weights.spec;
  const auto e = static_cast<std::size_t>(experts(m)), h = static_cast<std::size_t>(m.top_mlp.back());
  f.add_scratch(h);                                              // 1: one expert's output
  f.add_scratch(e * h);                                          // 2: every expert's, side by side
  f.add_scratch(e);                                              // 3: a task's gate
  f.add_scratch(h);                                              // 4: a task's input
  f.add_scratch(static_cast<std::size_t>(m.task_mlp.back()));  // 5: a task's output
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  const auto& m = w.spec;
  const int x = f.top_in, dense = m.dense_features, e = experts(m), h = m.top_mlp.back(), out = m.task_mlp.back(), b = f.batch;
  auto& s = f.scratch;
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, b, dense, s[0], x, 0);
  f.pool_tables("", s[0], x, dense);
  for (int i = 0; i < e; ++i) {
    f.ops.mlp(w.family_mlps[static_cast<std::size_t>(i)], s[0], x, b, s[1]);
    f.ops.copy_block(s[1], h, 0, b, h, s[2], e * h, i * h);
  }
  for (int t = 0; t < m.tasks; ++t) {
    f.ops.mlp(w.family_mlps[static_cast<std::size_t>(e + t)], s[0], x, b, s[3]);
    f.ops.weighted_sum(s[2], s[3], b, e, h, s[4], h, 0);
    f.ops.mlp(w.task_heads[static_cast<std::size_t>(t)], s[4], h, b, s[5]);
    f.ops.copy_block(s[5], out, 0, b, out, f.out, m.tasks * out, t * out);
  }
}

}  // namespace

const ModelFamily& mmoe_family() {
  static const ModelFamily family{"mmoe", {"experts", "tasks", "task_mlp"}, {}, parse, check, top_width, outputs_per_item,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
