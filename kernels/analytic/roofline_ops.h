#pragma once
// The analytic GPU backend: it runs no arithmetic. ModelForward drives it through the same
// sequence of operations as the CUDA backend, and each operation records its kernels (FLOPs, bytes
// of device memory they move, and their kind) and copies; roofline_times() then gives the trace a
// time on a named GPU: per kernel, overhead + max(FLOPs / (efficiency x peak FP32 rate), bytes /
// (efficiency x memory bandwidth)); per copy, overhead + bytes / (efficiency x PCIe bandwidth), the
// efficiencies by kind (kernels/analytic/gpu_efficiencies.h; all 1 at the peaks). The kernel
// count of each operation mirrors kernels/gpu/cuda_ops.cu (an MLP layer is a GEMM and a bias +
// activation (or bias + softmax) kernel; a GRU is one input GEMM and, per step, two GEMMs (none at
// the first step, whose state is zero) and two element-wise kernels).
#include "kernels/analytic/gpu_efficiencies.h"
#include "kernels/analytic/gpu_spec.h"
#include "kernels/model/kernel_ops.h"

#include <memory>
#include <vector>

namespace recsim {

// One kernel or copy of a forward pass.
struct RooflineStep {
  enum class Kind { gemm, stream, gather, upload, download } kind = Kind::stream;
  double flops = 0;
  double bytes = 0;  // device memory moved (kernels) or bytes copied (copies)
};

// A trace's time on a GPU, split as the profile records it.
struct RooflineTimes {
  double upload_s = 0, kernel_s = 0, download_s = 0;
  double total_s() const { return upload_s + kernel_s + download_s; }
};

RooflineTimes roofline_times(const std::vector<RooflineStep>& trace, const GpuSpec& gpu, const GpuEfficiencies& e);

class RooflineOps final : public KernelOps {
 public:

  float* alloc_floats(std::size_t count) override;
  std::int32_t* alloc_ints(std::size_t count) override;
  void upload(const void* host, void* device, std::size_t bytes) override;
  void download(const void* device, void* host, std::size_t bytes) override;
  void embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out, int out_ld,
                     int offset) override;
  void mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) override;
  void copy_block(const float* src, int src_ld, int src_off, int rows, int cols, float* dst, int dst_ld,
                  int dst_off) override;
  void multiply_block(const float* a, int a_off, const float* b, int b_off, int ld, int rows, int cols, float* dst,
                      int dst_ld, int dst_off) override;
  void sum_blocks(const float* src, int src_ld, int rows, int blocks, int width, float* dst) override;
  void pairwise_dot(const float* x, int batch, int f, int d, float* out, int out_ld) override;
  void din_attention_input(const float* e, const float* ad, int batch, int k, int d, float* x) override;
  void weighted_sum(const float* e, const float* score, int batch, int k, int d, float* out, int out_ld,
                    int off) override;
  void gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) override;
  void sequence_attention(const float* h_all, const float* query, int steps, int batch, int hidden,
                          float* att) override;
  void augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) override;

  // The kernels and copies recorded since the last reset.
  const std::vector<RooflineStep>& trace() const { return trace_; }
  void reset() { trace_.clear(); }

 private:
  // One kernel: `flops` floating-point operations and `bytes` of device-memory traffic.
  void kernel(double flops, double bytes, RooflineStep::Kind kind = RooflineStep::Kind::stream);
  void gemm(double m, double n, double k);
  void recurrent(const GruWeights& g, int steps, int batch);

  std::vector<RooflineStep> trace_;
  std::vector<std::unique_ptr<float[]>> floats_;
  std::vector<std::unique_ptr<std::int32_t[]>> ints_;
};

}  // namespace recsim
