#pragma once
// A model's forward pass, its family's (kernels/model/model_family.h) composed from a backend's
// KernelOps. Scratch buffers are allocated once for a maximum batch size and reused.
#include "kernels/model/kernel_ops.h"
#include "kernels/model/model_family.h"
#include "kernels/model/model_inputs.h"

#include <vector>

namespace recsim {

class ModelForward {
 public:
  ModelForward(const ModelWeights& weights, KernelOps& ops, int max_batch);

  // Copies the inputs to the backend (host -> device on a GPU).
  void upload(const ModelInputs& inputs);
  // Runs the model on the uploaded batch.
  void compute();
  // Copies batch x outputs_per_item() results back to `host_out`.
  void download(float* host_out);
  // All three.
  void forward(const ModelInputs& inputs, float* host_out);

  int outputs_per_item() const { return pass_.weights.spec.outputs_per_item(); }
  int max_batch() const { return pass_.max_batch; }

 private:
  ForwardPass pass_;  // what the family's forward pass works with (kernels/model/model_family.h)
  std::vector<std::size_t> lookups_before_;   // per table: lookups per item of the tables before it
  std::vector<std::int32_t> staged_indices_;  // host staging for the single upload
  std::int32_t* all_indices_ = nullptr;       // every table's keys, one backend buffer
};

}  // namespace recsim
