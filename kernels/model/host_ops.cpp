#include "kernels/model/host_ops.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <omp.h>

namespace recsim {

float* HostOps::alloc_floats(std::size_t count) {
  floats_.push_back(std::make_unique<float[]>(count));
  return floats_.back().get();
}

std::int32_t* HostOps::alloc_ints(std::size_t count) {
  ints_.push_back(std::make_unique<std::int32_t[]>(count));
  return ints_.back().get();
}

void HostOps::upload(const void* host, void* device, std::size_t bytes) { std::memcpy(device, host, bytes); }
void HostOps::download(const void* device, void* host, std::size_t bytes) { std::memcpy(host, device, bytes); }

void HostOps::copy_block(const float* src, int src_ld, int src_off, int rows, int cols, float* dst, int dst_ld,
                         int dst_off) {
#pragma omp parallel for schedule(static) if (rows > 1 && omp_get_max_threads() > 1)
  for (int r = 0; r < rows; ++r)
    std::memcpy(dst + static_cast<std::size_t>(r) * dst_ld + dst_off, src + static_cast<std::size_t>(r) * src_ld + src_off,
                static_cast<std::size_t>(cols) * sizeof(float));
}

void HostOps::multiply_block(const float* a, int a_off, const float* b, int b_off, int ld, int rows, int cols,
                             float* dst, int dst_ld, int dst_off) {
#pragma omp parallel for schedule(static) if (rows > 1 && omp_get_max_threads() > 1)
  for (int r = 0; r < rows; ++r) {
    const float* pa = a + static_cast<std::size_t>(r) * ld + a_off;
    const float* pb = b + static_cast<std::size_t>(r) * ld + b_off;
    float* pd = dst + static_cast<std::size_t>(r) * dst_ld + dst_off;
    for (int c = 0; c < cols; ++c) pd[c] = pa[c] * pb[c];
  }
}

void HostOps::sum_blocks(const float* src, int src_ld, int rows, int blocks, int width, float* dst) {
#pragma omp parallel for schedule(static) if (rows > 1 && omp_get_max_threads() > 1)
  for (int r = 0; r < rows; ++r) {
    float* pd = dst + static_cast<std::size_t>(r) * width;
    std::fill(pd, pd + width, 0.0f);
    for (int k = 0; k < blocks; ++k) {
      const float* ps = src + static_cast<std::size_t>(r) * src_ld + static_cast<std::size_t>(k) * width;
      for (int c = 0; c < width; ++c) pd[c] += ps[c];
    }
  }
}

void HostOps::pairwise_dot(const float* x, int batch, int f, int d, float* out, int out_ld) {
#pragma omp parallel for schedule(static) if (batch > 1 && omp_get_max_threads() > 1)
  for (int b = 0; b < batch; ++b) {
    const float* px = x + static_cast<std::size_t>(b) * f * d;
    float* po = out + static_cast<std::size_t>(b) * out_ld;
    std::memcpy(po, px, static_cast<std::size_t>(d) * sizeof(float));
    float* pz = po + d;
    for (int i = 1; i < f; ++i)
      for (int j = 0; j < i; ++j) {
        const float* xi = px + static_cast<std::size_t>(i) * d;
        const float* xj = px + static_cast<std::size_t>(j) * d;
        float dot = 0.0f;
        for (int c = 0; c < d; ++c) dot += xi[c] * xj[c];
        *pz++ = dot;
      }
  }
}

void HostOps::din_attention_input(const float* e, const float* ad, int batch, int k, int d, float* x) {
#pragma omp parallel for schedule(static) if (batch > 1 && omp_get_max_threads() > 1)
  for (int b = 0; b < batch; ++b) {
    const float* pa = ad + static_cast<std::size_t>(b) * d;
    for (int j = 0; j < k; ++j) {
      const float* pe = e + (static_cast<std::size_t>(b) * k + j) * d;
      float* px = x + (static_cast<std::size_t>(b) * k + j) * 3 * d;
      for (int c = 0; c < d; ++c) {
        px[c] = pe[c];
        px[d + c] = pa[c];
        px[2 * d + c] = pe[c] * pa[c];
      }
    }
  }
}

void HostOps::weighted_sum(const float* e, const float* score, int batch, int k, int d, float* out, int out_ld,
                           int off) {
#pragma omp parallel for schedule(static) if (batch > 1 && omp_get_max_threads() > 1)
  for (int b = 0; b < batch; ++b) {
    float* po = out + static_cast<std::size_t>(b) * out_ld + off;
    std::fill(po, po + d, 0.0f);
    for (int j = 0; j < k; ++j) {
      const float s = score[static_cast<std::size_t>(b) * k + j];
      const float* pe = e + (static_cast<std::size_t>(b) * k + j) * d;
      for (int c = 0; c < d; ++c) po[c] += s * pe[c];
    }
  }
}

void HostOps::sequence_attention(const float* h_all, const float* query, int steps, int batch, int hidden,
                                 float* att) {
#pragma omp parallel if (batch > 1 && omp_get_max_threads() > 1)
  {
  std::vector<float> logits(static_cast<std::size_t>(steps));
#pragma omp for schedule(static)
  for (int b = 0; b < batch; ++b) {
    const float* q = query + static_cast<std::size_t>(b) * hidden;
    float top = -INFINITY;
    for (int t = 0; t < steps; ++t) {
      const float* h = h_all + (static_cast<std::size_t>(t) * batch + b) * hidden;
      float dot = 0.0f;
      for (int c = 0; c < hidden; ++c) dot += h[c] * q[c];
      logits[static_cast<std::size_t>(t)] = dot;
      top = std::max(top, dot);
    }
    float sum = 0.0f;
    for (auto& l : logits) sum += (l = std::exp(l - top));
    for (int t = 0; t < steps; ++t) att[static_cast<std::size_t>(t) * batch + b] = logits[static_cast<std::size_t>(t)] / sum;
  }
  }
}

}  // namespace recsim
