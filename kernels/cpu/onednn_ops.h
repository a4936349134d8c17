#pragma once
// The CPU backend: MLPs as chains of oneDNN matmul primitives (ReLU / sigmoid fused as post-ops,
// softmax as its own primitive), DIEN's recurrent layers as oneDNN GRU and AUGRU primitives, and
// embedding bags (gather + sum pooling) as vectorised loops. Primitives are created on first use
// for each (layer chain, batch size) and reused; one instance serves one thread.
#include "kernels/model/host_ops.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <map>
#include <memory>
#include <tuple>

namespace recsim {

class OneDnnOps final : public HostOps {
 public:
  OneDnnOps();
  ~OneDnnOps() override;
  void embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out, int out_ld,
                     int offset) override;
  void mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) override;
  void gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) override;
  void augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) override;

 private:
  struct MlpPlan;
  struct RnnPlan;
  MlpPlan& mlp_plan(const Mlp& mlp, int in_ld, int rows);
  RnnPlan& rnn_plan(const GruWeights& g, bool attention, int steps, int batch);

  dnnl::engine engine_;
  dnnl::stream stream_;
  std::map<std::tuple<const Mlp*, int, int>, std::unique_ptr<MlpPlan>> mlp_plans_;
  std::map<std::tuple<const GruWeights*, bool, int, int>, std::unique_ptr<RnnPlan>> rnn_plans_;
};

// The oneDNN version and the CPU ISA its kernels dispatch to (honours ONEDNN_MAX_CPU_ISA).
std::string onednn_version();
std::string onednn_cpu_isa();

}  // namespace recsim
