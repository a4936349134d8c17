#pragma once
// The analytic GPU backend: it runs no arithmetic. ModelForward drives it through the same
// sequence of operations as the CUDA backend, and each operation adds the time a roofline model
// gives its kernels on a named GPU: per kernel, launch overhead + max(FLOPs / peak FP32 rate,
// bytes moved / memory bandwidth); per copy, launch overhead + bytes / PCIe bandwidth. The kernel
// count of each operation mirrors kernels/gpu/cuda_ops.cu (an MLP layer is a GEMM and a bias +
// activation (or bias + softmax) kernel; a GRU is one input GEMM and, per step, two GEMMs (none at
// the first step, whose state is zero) and two element-wise kernels).
#include "kernels/analytic/gpu_spec.h"
#include "kernels/model/kernel_ops.h"

#include <memory>
#include <vector>

namespace recsim {

class RooflineOps final : public KernelOps {
 public:
  explicit RooflineOps(GpuSpec gpu) : gpu_(std::move(gpu)) {}

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
  void din_attention_input(const float* e, const float* ad, int batch, int k, int d, float* x) override;
  void weighted_sum(const float* e, const float* score, int batch, int k, int d, float* out, int out_ld,
                    int off) override;
  void gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) override;
  void sequence_attention(const float* h_all, const float* query, int steps, int batch, int hidden,
                          float* att) override;
  void augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) override;

  // Time accumulated since the last reset, in seconds.
  double upload_seconds() const { return upload_s_; }
  double kernel_seconds() const { return kernel_s_; }
  double download_seconds() const { return download_s_; }
  void reset() { upload_s_ = kernel_s_ = download_s_ = 0; }

 private:
  // One kernel: `flops` floating-point operations and `bytes` of device-memory traffic.
  void kernel(double flops, double bytes);
  void gemm(double m, double n, double k);
  void recurrent(const GruWeights& g, int steps, int batch);

  GpuSpec gpu_;
  double upload_s_ = 0, kernel_s_ = 0, download_s_ = 0;
  std::vector<std::unique_ptr<float[]>> floats_;
  std::vector<std::unique_ptr<std::int32_t[]>> ints_;
};

}  // namespace recsim
