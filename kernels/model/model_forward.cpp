#include "kernels/model/model_forward.h"

#include <algorithm>
#include <stdexcept>

namespace recsim {

ModelForward::ModelForward(const ModelWeights& weights, KernelOps& ops, int max_batch) : pass_(weights, ops) {
  if (max_batch < 1) throw std::invalid_argument("max_batch must be >= 1");
  const auto& spec = weights.spec;
  pass_.max_batch = max_batch;
  const std::size_t B = static_cast<std::size_t>(max_batch);
  if (spec.dense_features > 0) pass_.dense = ops.alloc_floats(B * spec.dense_features);
  // All tables' keys travel in one buffer (one host-to-device copy per batch): for a batch of b items,
  // table t's b x lookups block starts at b x (lookups of the tables before t).
  std::size_t lookups = 0;
  for (const auto& t : weights.tables) {
    lookups_before_.push_back(lookups);
    lookups += static_cast<std::size_t>(t.lookups);
  }
  all_indices_ = ops.alloc_ints(B * lookups);
  staged_indices_.resize(B * lookups);
  pass_.indices.resize(weights.tables.size());
  pass_.out = ops.alloc_floats(B * spec.outputs_per_item());
  pass_.top_in = top_input_width(spec);
  pass_.add_scratch(static_cast<std::size_t>(pass_.top_in));  // 0: the top MLP's input
  spec.family->allocate(pass_);
}

void ModelForward::upload(const ModelInputs& in) {
  if (in.batch < 1 || in.batch > pass_.max_batch) throw std::invalid_argument("batch outside [1, max_batch]");
  const auto& tables = pass_.weights.tables;
  if (in.indices.size() != tables.size()) throw std::invalid_argument("inputs do not match the model");
  pass_.batch = in.batch;
  if (pass_.dense) pass_.ops.upload(in.dense.data(), pass_.dense, in.dense.size() * sizeof(float));
  const std::size_t b = static_cast<std::size_t>(pass_.batch);
  std::size_t staged = 0;
  for (std::size_t t = 0; t < pass_.indices.size(); ++t) {
    const auto& keys = in.indices[t];
    if (keys.size() != b * static_cast<std::size_t>(tables[t].lookups)) throw std::invalid_argument("inputs do not match the model");
    std::copy(keys.begin(), keys.end(), staged_indices_.begin() + static_cast<std::ptrdiff_t>(staged));
    pass_.indices[t] = all_indices_ + b * lookups_before_[t];
    staged += keys.size();
  }
  if (staged > 0) pass_.ops.upload(staged_indices_.data(), all_indices_, staged * sizeof(std::int32_t));
}

void ModelForward::download(float* host_out) {
  pass_.ops.download(pass_.out, host_out, static_cast<std::size_t>(pass_.batch) * outputs_per_item() * sizeof(float));
}

void ModelForward::forward(const ModelInputs& inputs, float* host_out) {
  upload(inputs);
  compute();
  download(host_out);
}

void ModelForward::compute() { pass_.weights.spec.family->compute(pass_); }

}  // namespace recsim
