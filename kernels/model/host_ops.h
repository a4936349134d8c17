#pragma once
// The host-memory part shared by the CPU backends: allocation, copies and the data-movement
// operations (blocks, products, DIN's attention input and weighted sums), as plain loops over rows,
// split among the calling thread's OpenMP threads (a request's intra-op threads) where it has several.
#include "kernels/model/kernel_ops.h"

#include <memory>
#include <vector>

namespace recsim {

class HostOps : public KernelOps {
 public:
  float* alloc_floats(std::size_t count) override;
  std::int32_t* alloc_ints(std::size_t count) override;
  void upload(const void* host, void* device, std::size_t bytes) override;
  void download(const void* device, void* host, std::size_t bytes) override;
  void copy_block(const float* src, int src_ld, int src_off, int rows, int cols, float* dst, int dst_ld,
                  int dst_off) override;
  void multiply_block(const float* a, int a_off, const float* b, int b_off, int ld, int rows, int cols, float* dst,
                      int dst_ld, int dst_off) override;
  void sum_blocks(const float* src, int src_ld, int rows, int blocks, int width, float* dst) override;
  void pairwise_dot(const float* x, int batch, int f, int d, float* out, int out_ld) override;
  void din_attention_input(const float* e, const float* ad, int batch, int k, int d, float* x) override;
  void weighted_sum(const float* e, const float* score, int batch, int k, int d, float* out, int out_ld,
                    int off) override;
  void sequence_attention(const float* h_all, const float* query, int steps, int batch, int hidden,
                          float* att) override;

 private:
  std::vector<std::unique_ptr<float[]>> floats_;
  std::vector<std::unique_ptr<std::int32_t[]>> ints_;
};

}  // namespace recsim
