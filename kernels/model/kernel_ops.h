#pragma once
// The operations a model's forward pass is built from. ModelForward (model_forward.h) composes them
// per model family; each backend implements them: the naive reference (kernels/reference), oneDNN
// on CPU (kernels/cpu) and CUDA (kernels/gpu). Buffers are the backend's memory (host memory for the
// CPU backends, device memory for CUDA), allocated through the backend. Matrices are row-major.
#include "kernels/model/model_weights.h"

#include <cstddef>
#include <cstdint>

namespace recsim {

class KernelOps {
 public:
  virtual ~KernelOps() = default;

  // Backend memory for `count` floats / int32s, owned by the backend until it is destroyed.
  virtual float* alloc_floats(std::size_t count) = 0;
  virtual std::int32_t* alloc_ints(std::size_t count) = 0;
  // Host <-> backend copies.
  virtual void upload(const void* host, void* device, std::size_t bytes) = 0;
  virtual void download(const void* device, void* host, std::size_t bytes) = 0;

  // out[b, offset : offset + dim] = sum over l of table[idx[b * lookups + l]], row stride out_ld.
  virtual void embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out,
                             int out_ld, int offset) = 0;
  // out (rows x mlp.out()) = mlp(in (rows x mlp.in(), row stride in_ld)).
  virtual void mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) = 0;
  // Copies a rows x cols block: dst[r, dst_off + c] = src[r, src_off + c].
  virtual void copy_block(const float* src, int src_ld, int src_off, int rows, int cols, float* dst, int dst_ld,
                          int dst_off) = 0;
  // dst[r, dst_off + c] = a[r, a_off + c] * b[r, b_off + c] for c < cols (same row stride ld for a and b).
  virtual void multiply_block(const float* a, int a_off, const float* b, int b_off, int ld, int rows, int cols,
                              float* dst, int dst_ld, int dst_off) = 0;
  // dst[r, :] = sum of `blocks` column blocks of width `width` of src (row stride src_ld).
  virtual void sum_blocks(const float* src, int src_ld, int rows, int blocks, int width, float* dst) = 0;

  // DLRM's dot interaction. x: batch x (f*d), f feature vectors of width d per row.
  // out[b, 0 : d] = x_b0; out[b, d + i(i-1)/2 + j] = dot(x_bi, x_bj) for 0 <= j < i < f (row stride out_ld).
  virtual void pairwise_dot(const float* x, int batch, int f, int d, float* out, int out_ld) = 0;

  // DIN. e: batch x (k*d) behaviour embeddings; ad: batch x d.
  // x[(b*k + j), :] = [e_bj, ad_b, e_bj * ad_b]  (batch*k rows of 3d).
  virtual void din_attention_input(const float* e, const float* ad, int batch, int k, int d, float* x) = 0;
  // out[b, off : off + d] = sum_j score[b*k + j] * e_bj  (row stride out_ld).
  virtual void weighted_sum(const float* e, const float* score, int batch, int k, int d, float* out, int out_ld,
                            int off) = 0;

  // DIEN. x: T x batch x input (time-major). h_all: T x batch x hidden.
  virtual void gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) = 0;
  // att[t*batch + b] = softmax over t of dot(h_all[t, b, :], query[b, :]).
  virtual void sequence_attention(const float* h_all, const float* query, int steps, int batch, int hidden,
                                  float* att) = 0;
  // h_last (batch x hidden): the AUGRU's last hidden state over x (T x batch x input) with attention att.
  virtual void augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) = 0;

  // Waits until queued work is done (CUDA); no-op on CPU.
  virtual void synchronize() {}
};

}  // namespace recsim
