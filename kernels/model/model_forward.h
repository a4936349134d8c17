#pragma once
// A model's forward pass, per family, composed from a backend's KernelOps. Scratch buffers are
// allocated once for a maximum batch size and reused.
#include "kernels/model/kernel_ops.h"
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

  int outputs_per_item() const { return weights_.spec.outputs_per_item(); }
  int max_batch() const { return max_batch_; }

 private:
  void compute_dlrm();
  void compute_ncf();
  void compute_wide();
  void compute_din();
  void compute_dien();
  // Pools every table with role `role` ("" = all) into out, in table order, from column `offset`.
  int pool_tables(const std::string& role, float* out, int ld, int offset);

  const ModelWeights& weights_;
  KernelOps& ops_;
  int max_batch_;
  int batch_ = 0;
  float* dense_ = nullptr;
  std::int32_t* all_indices_ = nullptr;           // every table's keys, one backend buffer
  std::vector<std::size_t> lookups_before_;       // per table: lookups per item of the tables before it
  std::vector<std::int32_t> staged_indices_;      // host staging for the single upload
  std::vector<std::int32_t*> indices_;            // per table: its block of all_indices_ for this batch
  float* out_ = nullptr;
  std::vector<float*> scratch_;  // family-specific buffers
  int top_in_ = 0;
};

}  // namespace recsim
