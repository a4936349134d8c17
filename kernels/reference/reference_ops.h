#pragma once
// The naive reference backend: every operation as the textbook loop, no library, no blocking.
// It defines what the optimised backends (oneDNN, CUDA) must compute; tests compare against it.
#include "kernels/model/host_ops.h"

namespace recsim {

class ReferenceOps final : public HostOps {
 public:
  void embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out, int out_ld,
                     int offset) override;
  void mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) override;
  void gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) override;
  void augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) override;
};

// Applies an activation to a rows x cols matrix in place (softmax: per row).
void apply_activation(Activation a, float* x, int rows, int cols);

}  // namespace recsim
