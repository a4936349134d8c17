// DIN (Zhou et al. 2018): a local activation unit scores each behaviour against the candidate ad;
// the weighted behaviours are summed and joined with the profile and ad embeddings for the top MLP.
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader& r, ModelSpec& m) { m.attention_mlp = read_layer_widths(r, "attention_mlp", false); }

void check(const ModelSpec& m, const StructureCheck& need) {
  need(count_role(m, "behaviour") >= 1 && count_role(m, "ad") >= 1, "tables", "DIN needs \"behaviour\" and \"ad\" tables");
  need(uniform_dim(m, "behaviour") && uniform_dim(m, "ad") && first_dim(m, "behaviour") == first_dim(m, "ad"), "tables",
       "DIN's behaviour and ad tables need one common dimension");
  need(!m.attention_mlp.empty() && m.attention_mlp.back() == 1, "attention_mlp", "DIN needs an attention MLP ending in width 1");
}

int top_width(const ModelSpec& m) { return sum_dims(m, "profile") + first_dim(m, "ad") + sum_dims(m, "ad"); }

double flops_per_item(const ModelSpec& m) {
  const int k = count_role(m, "behaviour"), d = first_dim(m, "ad");
  return k * (mlp_flops(3 * d, m.attention_mlp) + 3.0 * d) + mlp_flops(top_width(m), m.top_mlp);
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  w.attention = make_mlp(3 * first_dim(m, "ad"), m.attention_mlp, Activation::none, rng);
  w.top = make_mlp(top_in, m.top_mlp, Activation::softmax, rng);
}

void allocate(ForwardPass& f) {
  const auto& m = f.weights.spec;
  const auto k = static_cast<std::size_t>(count_role(m, "behaviour")), d = static_cast<std::size_t>(first_dim(m, "ad"));
  f.add_scratch(static_cast<std::size_t>(sum_dims(m, "ad")));  // 1: ad embeddings
  f.add_scratch(d);                                              // 2: summed ad
  f.add_scratch(k * d);                                          // 3: behaviours
  f.add_scratch(k * 3 * d);                                      // 4: attention input
  f.add_scratch(k);                                              // 5: attention scores
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  const int d = first_dim(w.spec, "ad"), k = count_role(w.spec, "behaviour"), ads = sum_dims(w.spec, "ad");
  float* top = f.scratch[0];
  const int profile = f.pool_tables("profile", top, f.top_in, 0);
  f.pool_tables("ad", f.scratch[1], ads, 0);
  f.ops.sum_blocks(f.scratch[1], ads, f.batch, ads / d, d, f.scratch[2]);
  f.pool_tables("behaviour", f.scratch[3], k * d, 0);
  f.ops.din_attention_input(f.scratch[3], f.scratch[2], f.batch, k, d, f.scratch[4]);
  f.ops.mlp(w.attention, f.scratch[4], 3 * d, f.batch * k, f.scratch[5]);
  f.ops.weighted_sum(f.scratch[3], f.scratch[5], f.batch, k, d, top, f.top_in, profile);
  f.ops.copy_block(f.scratch[1], ads, 0, f.batch, ads, top, f.top_in, profile + d);
  f.ops.mlp(w.top, top, f.top_in, f.batch, f.out);
}

}  // namespace

const ModelFamily& din_family() {
  static const ModelFamily family{"din", {"attention_mlp"}, {"profile", "behaviour", "ad"}, parse, check, top_width, nullptr,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
