#pragma once
// The CUDA backend. All buffers are device memory; everything runs in order on one stream owned by
// the instance, with its own cuBLAS handle bound to it. MLP layers are cuBLAS SGEMMs (full FP32, no
// TF32) followed by a fused bias + activation kernel (row-wise softmax as its own kernel); GRU and
// AUGRU are one GEMM for the input projection of every step, then per step two GEMMs and two
// elementwise kernels; embedding bags and the data-movement operations are plain kernels.
//
// Weights stay in host memory in their structs (EmbeddingTable, DenseLayer, GruWeights). Each
// instance keeps a device copy per struct, keyed by the struct's address and uploaded on first use;
// it is uploaded again only if the struct's data pointer or size changes. The weights must not be
// modified in place while an instance uses them; before using an instance with new weights that may
// reuse a destroyed struct's address, call release_weights().
//
// upload() stages through pinned host memory and returns at once (the host buffer may be reused);
// download() waits for its copy, so the host buffer holds the result on return. Every failing CUDA
// or cuBLAS call throws std::runtime_error naming the call. One instance serves one thread.
//
// This header includes no CUDA header, so plain C++ files can use it.
#include "kernels/model/kernel_ops.h"

#include <memory>
#include <string>

namespace recsim {

class CudaOps final : public KernelOps {
 public:
  explicit CudaOps(int device = 0);
  ~CudaOps() override;
  CudaOps(const CudaOps&) = delete;
  CudaOps& operator=(const CudaOps&) = delete;

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

  // cudaStreamSynchronize on the instance's stream.
  void synchronize() override;
  // Waits for queued work, then frees every device copy of weights.
  void release_weights();

  // Stream-ordered timing: mark(i) records mark i (0 <= i < kMarks) on the stream; elapsed_ms(from, to)
  // waits for mark `to` and returns the device time between the two marks.
  static constexpr int kMarks = 8;
  void mark(int i);
  double elapsed_ms(int from, int to);
  // Device time of the last download's device -> host copy (0 before any download).
  double last_download_ms();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Whether the CUDA runtime sees at least one device (false, never an exception, without a driver).
bool cuda_device_available();
// Device 0: name, compute capability, multiprocessors, memory, and the driver's CUDA version.
std::string cuda_device_description();
// The CUDA runtime's version ("13.0").
std::string cuda_runtime_version();
// The cuBLAS library's version ("13.0.2").
std::string cublas_version();

}  // namespace recsim
