// DIEN (Zhou et al. 2019): a GRU interest extractor over the behaviour sequence, attention of its
// states against the projected ad, AUGRU interest evolution, then [dense, profile, final interest,
// ads] to the top MLP.
#include "kernels/model/model_family.h"

namespace recsim {
namespace {

void parse(JsonReader& r, ModelSpec& m) { m.gru_hidden = static_cast<int>(r.integer_or("gru_hidden", 0, 0, 4096)); }

void check(const ModelSpec& m, const StructureCheck& need) {
  need(count_role(m, "behaviour") >= 1 && count_role(m, "ad") >= 1, "tables", "DIEN needs \"behaviour\" and \"ad\" tables");
  need(uniform_dim(m, "behaviour") && uniform_dim(m, "ad") && first_dim(m, "behaviour") == first_dim(m, "ad"), "tables",
       "DIEN's behaviour and ad tables need one common dimension");
  need(m.gru_hidden > 0, "gru_hidden", "DIEN needs a GRU hidden size");
}

int top_width(const ModelSpec& m) { return m.dense_features + sum_dims(m, "profile") + m.gru_hidden + sum_dims(m, "ad"); }

double flops_per_item(const ModelSpec& m) {
  const int t = count_role(m, "behaviour"), d = first_dim(m, "ad"), h = m.gru_hidden;
  const double gru = t * 2.0 * 3.0 * (static_cast<double>(d) * h + static_cast<double>(h) * h);
  const double augru = t * 2.0 * 3.0 * (2.0 * h * h);
  const double attention = 2.0 * h * d + t * 2.0 * h;
  return gru + attention + augru + mlp_flops(top_width(m), m.top_mlp);
}

void make_weights(const ModelSpec& m, int top_in, WeightRng& rng, ModelWeights& w) {
  const int d = first_dim(m, "ad"), h = m.gru_hidden;
  w.gru = make_gru(d, h, rng);
  w.augru = make_gru(h, h, rng);
  w.ad_projection = make_mlp(d, {h}, Activation::none, rng);
  w.top = make_mlp(top_in, m.top_mlp, Activation::softmax, rng);
}

void allocate(ForwardPass& f) {
  const auto& m = f.weights.spec;
  const auto t = static_cast<std::size_t>(count_role(m, "behaviour")), d = static_cast<std::size_t>(first_dim(m, "ad"));
  const auto h = static_cast<std::size_t>(m.gru_hidden);
  f.add_scratch(static_cast<std::size_t>(sum_dims(m, "ad")));  // 1: ad embeddings
  f.add_scratch(d);                                              // 2: summed ad
  f.add_scratch(t * d);                                          // 3: behaviour sequence (T x B x d)
  f.add_scratch(t * h);                                          // 4: GRU states (T x B x h)
  f.add_scratch(h);                                              // 5: attention query
  f.add_scratch(t);                                              // 6: attention (T x B)
  f.add_scratch(h);                                              // 7: final interest
}

void compute(ForwardPass& f) {
  const auto& w = f.weights;
  const int d = first_dim(w.spec, "ad"), steps = count_role(w.spec, "behaviour"), h = w.spec.gru_hidden;
  const int ads = sum_dims(w.spec, "ad"), dense = w.spec.dense_features;
  float* seq = f.scratch[3];
  int step = 0;
  for (std::size_t t = 0; t < w.tables.size(); ++t) {
    if (w.tables[t].role != "behaviour") continue;
    f.ops.embedding_bag(w.tables[t], f.indices[t], f.batch, seq + static_cast<std::size_t>(step) * f.batch * d, d, 0);
    ++step;
  }
  f.ops.gru(w.gru, seq, steps, f.batch, f.scratch[4]);
  f.pool_tables("ad", f.scratch[1], ads, 0);
  f.ops.sum_blocks(f.scratch[1], ads, f.batch, ads / d, d, f.scratch[2]);
  f.ops.mlp(w.ad_projection, f.scratch[2], d, f.batch, f.scratch[5]);
  f.ops.sequence_attention(f.scratch[4], f.scratch[5], steps, f.batch, h, f.scratch[6]);
  f.ops.augru(w.augru, f.scratch[4], f.scratch[6], steps, f.batch, f.scratch[7]);
  float* top = f.scratch[0];
  if (dense > 0) f.ops.copy_block(f.dense, dense, 0, f.batch, dense, top, f.top_in, 0);
  const int profile_end = f.pool_tables("profile", top, f.top_in, dense);
  f.ops.copy_block(f.scratch[7], h, 0, f.batch, h, top, f.top_in, profile_end);
  f.ops.copy_block(f.scratch[1], ads, 0, f.batch, ads, top, f.top_in, profile_end + h);
  f.ops.mlp(w.top, top, f.top_in, f.batch, f.out);
}

}  // namespace

const ModelFamily& dien_family() {
  static const ModelFamily family{"dien", {"gru_hidden"}, {"profile", "behaviour", "ad"}, parse, check, top_width, nullptr,
                                  flops_per_item, make_weights, allocate, compute};
  return family;
}

}  // namespace recsim
