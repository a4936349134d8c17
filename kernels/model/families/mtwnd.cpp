// Multi-task Wide&Deep (Zhao et al. 2019, YouTube's ranking): Wide&Deep's shared layers, then one
// head per task over their output; each item returns every task's outputs.
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader& r, ModelSpec& m) {
  m.task_mlp = read_layer_widths(r, "task_mlp", false);
  m.tasks = static_cast<int>(r.integer_or("tasks", 1, 1, 64));
}

void check(const ModelSpec& m, const StructureCheck& need) {
  need(m.tasks >= 1 && !m.task_mlp.empty(), "task_mlp", "MT-WnD needs \"tasks\" and a \"task_mlp\"");
}

int top_width(const ModelSpec& m) { return m.dense_features + sum_dims(m, ""); }

int outputs_per_item(const ModelSpec& m) { return m.tasks * m.task_mlp.back(); }

double flops_per_item(const ModelSpec& m) {
  return mlp_flops(top_width(m), m.top_mlp) + m.tasks * mlp_flops(m.top_mlp.back(), m.task_mlp);
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  w.top = make_mlp(top_in, m.top_mlp, Activation::relu, rng);
  for (int t = 0; t < m.tasks; ++t) w.task_heads.push_back(make_mlp(m.top_mlp.back(), m.task_mlp, Activation::sigmoid, rng));
}

void allocate(ForwardPass& f) {
  f.add_scratch(static_cast<std::size_t>(f.weights.top.out()));          // 1: shared layers
  f.add_scratch(static_cast<std::size_t>(f.weights.spec.task_mlp.back()));  // 2: one head's output
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  float* top = f.scratch[0];
  const int dense = w.spec.dense_features;
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, f.batch, dense, top, f.top_in, 0);
  f.pool_tables("", top, f.top_in, dense);
  f.ops.mlp(w.top, top, f.top_in, f.batch, f.scratch[1]);
  const int head_out = w.spec.task_mlp.back(), outputs = outputs_per_item(w.spec);
  for (std::size_t t = 0; t < w.task_heads.size(); ++t) {
    f.ops.mlp(w.task_heads[t], f.scratch[1], w.top.out(), f.batch, f.scratch[2]);
    f.ops.copy_block(f.scratch[2], head_out, 0, f.batch, head_out, f.out, outputs, static_cast<int>(t) * head_out);
  }
}

}  // namespace

const ModelFamily& mtwnd_family() {
  static const ModelFamily family{"mtwnd", {"task_mlp", "tasks"}, {}, parse, check, top_width, outputs_per_item,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
