#include "kernels/model/model_forward.h"

#include <algorithm>
#include <stdexcept>

namespace recsim {
namespace {

int count_role(const ModelWeights& w, const std::string& role) {
  int n = 0;
  for (const auto& t : w.tables) n += t.role == role;
  return n;
}

int dims_of(const ModelWeights& w, const std::string& role) {
  int n = 0;
  for (const auto& t : w.tables)
    if (role.empty() || t.role == role) n += t.dim;
  return n;
}

int first_dim(const ModelWeights& w, const std::string& role) {
  for (const auto& t : w.tables)
    if (t.role == role) return t.dim;
  return 0;
}

}  // namespace

ModelForward::ModelForward(const ModelWeights& weights, KernelOps& ops, int max_batch)
    : weights_(weights), ops_(ops), max_batch_(max_batch) {
  if (max_batch < 1) throw std::invalid_argument("max_batch must be >= 1");
  const auto& spec = weights.spec;
  const std::size_t B = static_cast<std::size_t>(max_batch);
  if (spec.dense_features > 0) dense_ = ops_.alloc_floats(B * spec.dense_features);
  // All tables' keys travel in one buffer (one host-to-device copy per batch): for a batch of b items,
  // table t's b x lookups block starts at b x (lookups of the tables before t).
  std::size_t lookups = 0;
  for (const auto& t : weights.tables) {
    lookups_before_.push_back(lookups);
    lookups += static_cast<std::size_t>(t.lookups);
  }
  all_indices_ = ops_.alloc_ints(B * lookups);
  staged_indices_.resize(B * lookups);
  indices_.resize(weights.tables.size());
  out_ = ops_.alloc_floats(B * spec.outputs_per_item());
  top_in_ = top_input_width(spec);
  scratch_.push_back(ops_.alloc_floats(B * top_in_));  // 0: the top MLP's input
  const int d = first_dim(weights, "ad");
  switch (spec.family) {
    case ModelFamily::dlrm:
      scratch_.push_back(ops_.alloc_floats(B * weights.bottom.out()));  // 1: bottom output
      if (spec.interaction == Interaction::dot)
        scratch_.push_back(ops_.alloc_floats(B * dlrm_features_width(spec)));  // 2: features before the dots
      break;
    case ModelFamily::ncf: {
      const int u = first_dim(weights, "user");
      scratch_.push_back(ops_.alloc_floats(B * 4 * u));                        // 1: the four embeddings
      scratch_.push_back(ops_.alloc_floats(B * weights.top.out()));            // 2: MLP tower
      scratch_.push_back(ops_.alloc_floats(B * (weights.top.out() + u)));      // 3: final MLP input
      break;
    }
    case ModelFamily::wnd: break;
    case ModelFamily::mtwnd:
      scratch_.push_back(ops_.alloc_floats(B * weights.top.out()));  // 1: shared layers
      scratch_.push_back(ops_.alloc_floats(B * spec.task_mlp.back()));  // 2: one head's output
      break;
    case ModelFamily::din: {
      const int k = count_role(weights, "behaviour");
      scratch_.push_back(ops_.alloc_floats(B * dims_of(weights, "ad")));  // 1: ad embeddings
      scratch_.push_back(ops_.alloc_floats(B * d));                       // 2: summed ad
      scratch_.push_back(ops_.alloc_floats(B * k * d));                   // 3: behaviours
      scratch_.push_back(ops_.alloc_floats(B * k * 3 * d));               // 4: attention input
      scratch_.push_back(ops_.alloc_floats(B * k));                       // 5: attention scores
      break;
    }
    case ModelFamily::dien: {
      const int t = count_role(weights, "behaviour"), h = spec.gru_hidden;
      scratch_.push_back(ops_.alloc_floats(B * dims_of(weights, "ad")));  // 1: ad embeddings
      scratch_.push_back(ops_.alloc_floats(B * d));                       // 2: summed ad
      scratch_.push_back(ops_.alloc_floats(B * t * d));                   // 3: behaviour sequence (T x B x d)
      scratch_.push_back(ops_.alloc_floats(B * t * h));                   // 4: GRU states (T x B x h)
      scratch_.push_back(ops_.alloc_floats(B * h));                       // 5: attention query
      scratch_.push_back(ops_.alloc_floats(B * t));                       // 6: attention (T x B)
      scratch_.push_back(ops_.alloc_floats(B * h));                       // 7: final interest
      break;
    }
  }
}

void ModelForward::upload(const ModelInputs& in) {
  if (in.batch < 1 || in.batch > max_batch_) throw std::invalid_argument("batch outside [1, max_batch]");
  if (in.indices.size() != weights_.tables.size()) throw std::invalid_argument("inputs do not match the model");
  batch_ = in.batch;
  if (dense_) ops_.upload(in.dense.data(), dense_, in.dense.size() * sizeof(float));
  const std::size_t b = static_cast<std::size_t>(batch_);
  std::size_t staged = 0;
  for (std::size_t t = 0; t < indices_.size(); ++t) {
    const auto& keys = in.indices[t];
    if (keys.size() != b * static_cast<std::size_t>(weights_.tables[t].lookups))
      throw std::invalid_argument("inputs do not match the model");
    std::copy(keys.begin(), keys.end(), staged_indices_.begin() + static_cast<std::ptrdiff_t>(staged));
    indices_[t] = all_indices_ + b * lookups_before_[t];
    staged += keys.size();
  }
  if (staged > 0) ops_.upload(staged_indices_.data(), all_indices_, staged * sizeof(std::int32_t));
}

void ModelForward::download(float* host_out) {
  ops_.download(out_, host_out, static_cast<std::size_t>(batch_) * outputs_per_item() * sizeof(float));
}

void ModelForward::forward(const ModelInputs& inputs, float* host_out) {
  upload(inputs);
  compute();
  download(host_out);
}

int ModelForward::pool_tables(const std::string& role, float* out, int ld, int offset) {
  for (std::size_t t = 0; t < weights_.tables.size(); ++t) {
    const auto& table = weights_.tables[t];
    if (!role.empty() && table.role != role) continue;
    ops_.embedding_bag(table, indices_[t], batch_, out, ld, offset);
    offset += table.dim;
  }
  return offset;
}

void ModelForward::compute() {
  switch (weights_.spec.family) {
    case ModelFamily::dlrm: compute_dlrm(); break;
    case ModelFamily::ncf: compute_ncf(); break;
    case ModelFamily::wnd:
    case ModelFamily::mtwnd: compute_wide(); break;
    case ModelFamily::din: compute_din(); break;
    case ModelFamily::dien: compute_dien(); break;
  }
}

// DLRM: bottom MLP over the dense features, then the pooled embeddings beside it: concatenated into
// the top MLP's input, or (dot interaction) the bottom output and every pair's dot product; top MLP.
void ModelForward::compute_dlrm() {
  const auto& w = weights_;
  float* top = scratch_[0];
  const bool dot = w.spec.interaction == Interaction::dot;
  float* features = dot ? scratch_[2] : top;
  const int features_ld = dot ? dlrm_features_width(w.spec) : top_in_;
  ops_.mlp(w.bottom, dense_, w.spec.dense_features, batch_, scratch_[1]);
  ops_.copy_block(scratch_[1], w.bottom.out(), 0, batch_, w.bottom.out(), features, features_ld, 0);
  pool_tables("", features, features_ld, w.bottom.out());
  if (dot) ops_.pairwise_dot(features, batch_, w.spec.table_count() + 1, w.bottom.out(), top, top_in_);
  ops_.mlp(w.top, top, top_in_, batch_, out_);
}

// NCF (NeuMF): an MLP tower over [dense, user, item] and a matrix-factorisation branch
// (user * item), joined by the final layer. Tables: user (MLP), user (MF), item (MLP), item (MF).
void ModelForward::compute_ncf() {
  const auto& w = weights_;
  const int u = first_dim(w, "user"), dense = w.spec.dense_features;
  float* emb = scratch_[1];
  pool_tables("user", emb, 4 * u, 0);
  pool_tables("item", emb, 4 * u, 2 * u);
  float* top = scratch_[0];
  if (dense > 0) ops_.copy_block(dense_, dense, 0, batch_, dense, top, top_in_, 0);
  ops_.copy_block(emb, 4 * u, 0, batch_, u, top, top_in_, dense);          // user (MLP)
  ops_.copy_block(emb, 4 * u, 2 * u, batch_, u, top, top_in_, dense + u);  // item (MLP)
  ops_.mlp(w.top, top, top_in_, batch_, scratch_[2]);
  const int t = w.top.out();
  float* fin = scratch_[3];
  ops_.copy_block(scratch_[2], t, 0, batch_, t, fin, t + u, 0);
  ops_.multiply_block(emb, u, emb, 3 * u, 4 * u, batch_, u, fin, t + u, t);  // user (MF) * item (MF)
  ops_.mlp(w.final_mlp, fin, t + u, batch_, out_);
}

// Wide&Deep and MT-WnD: [dense, pooled embeddings] through the MLP; MT-WnD adds one head per task.
void ModelForward::compute_wide() {
  const auto& w = weights_;
  float* top = scratch_[0];
  const int dense = w.spec.dense_features;
  if (dense > 0) ops_.copy_block(dense_, dense, 0, batch_, dense, top, top_in_, 0);
  pool_tables("", top, top_in_, dense);
  if (w.spec.family == ModelFamily::wnd) {
    ops_.mlp(w.top, top, top_in_, batch_, out_);
    return;
  }
  ops_.mlp(w.top, top, top_in_, batch_, scratch_[1]);
  const int head_out = w.spec.task_mlp.back(), outputs = outputs_per_item();
  for (std::size_t t = 0; t < w.task_heads.size(); ++t) {
    ops_.mlp(w.task_heads[t], scratch_[1], w.top.out(), batch_, scratch_[2]);
    ops_.copy_block(scratch_[2], head_out, 0, batch_, head_out, out_, outputs, static_cast<int>(t) * head_out);
  }
}

// DIN: a local activation unit scores each behaviour against the candidate ad; the weighted
// behaviours are summed and joined with the profile and ad embeddings for the top MLP.
void ModelForward::compute_din() {
  const auto& w = weights_;
  const int d = first_dim(w, "ad"), k = count_role(w, "behaviour"), ads = dims_of(w, "ad");
  float* top = scratch_[0];
  const int profile = pool_tables("profile", top, top_in_, 0);
  pool_tables("ad", scratch_[1], ads, 0);
  ops_.sum_blocks(scratch_[1], ads, batch_, ads / d, d, scratch_[2]);
  pool_tables("behaviour", scratch_[3], k * d, 0);
  ops_.din_attention_input(scratch_[3], scratch_[2], batch_, k, d, scratch_[4]);
  ops_.mlp(w.attention, scratch_[4], 3 * d, batch_ * k, scratch_[5]);
  ops_.weighted_sum(scratch_[3], scratch_[5], batch_, k, d, top, top_in_, profile);
  ops_.copy_block(scratch_[1], ads, 0, batch_, ads, top, top_in_, profile + d);
  ops_.mlp(w.top, top, top_in_, batch_, out_);
}

// DIEN: GRU interest extractor over the behaviour sequence, attention of its states against the
// projected ad, AUGRU interest evolution, then [dense, profile, final interest, ads] to the top MLP.
void ModelForward::compute_dien() {
  const auto& w = weights_;
  const int d = first_dim(w, "ad"), steps = count_role(w, "behaviour"), h = w.spec.gru_hidden;
  const int ads = dims_of(w, "ad"), dense = w.spec.dense_features;
  float* seq = scratch_[3];
  int step = 0;
  for (std::size_t t = 0; t < w.tables.size(); ++t) {
    if (w.tables[t].role != "behaviour") continue;
    ops_.embedding_bag(w.tables[t], indices_[t], batch_, seq + static_cast<std::size_t>(step) * batch_ * d, d, 0);
    ++step;
  }
  ops_.gru(w.gru, seq, steps, batch_, scratch_[4]);
  pool_tables("ad", scratch_[1], ads, 0);
  ops_.sum_blocks(scratch_[1], ads, batch_, ads / d, d, scratch_[2]);
  ops_.mlp(w.ad_projection, scratch_[2], d, batch_, scratch_[5]);
  ops_.sequence_attention(scratch_[4], scratch_[5], steps, batch_, h, scratch_[6]);
  ops_.augru(w.augru, scratch_[4], scratch_[6], steps, batch_, scratch_[7]);
  float* top = scratch_[0];
  if (dense > 0) ops_.copy_block(dense_, dense, 0, batch_, dense, top, top_in_, 0);
  const int profile_end = pool_tables("profile", top, top_in_, dense);
  ops_.copy_block(scratch_[7], h, 0, batch_, h, top, top_in_, profile_end);
  ops_.copy_block(scratch_[1], ads, 0, batch_, ads, top, top_in_, profile_end + h);
  ops_.mlp(w.top, top, top_in_, batch_, out_);
}

}  // namespace recsim
