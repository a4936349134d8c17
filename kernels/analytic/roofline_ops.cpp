#include "kernels/analytic/roofline_ops.h"

#include <algorithm>

namespace recsim {
namespace {
constexpr double kFloat = 4.0;  // bytes per float or int32
}

RooflineTimes roofline_times(const std::vector<RooflineStep>& trace, const GpuSpec& gpu, const GpuEfficiencies& e) {
  RooflineTimes t;
  for (const auto& s : trace) {
    switch (s.kind) {
      case RooflineStep::Kind::upload: t.upload_s += e.copy_overhead_s + s.bytes / (e.pcie * gpu.pcie_bytes_per_s); break;
      case RooflineStep::Kind::download:
        t.download_s += e.copy_overhead_s + s.bytes / (e.pcie * gpu.pcie_bytes_per_s);
        break;
      default: {
        const double compute = s.flops / ((s.kind == RooflineStep::Kind::gemm ? e.gemm : 1.0) * gpu.fp32_flops_per_s);
        const double memory = s.bytes / ((s.kind == RooflineStep::Kind::gather ? e.gather : e.stream) * gpu.memory_bytes_per_s);
        t.kernel_s += e.kernel_overhead_s + std::max(compute, memory);
      }
    }
  }
  return t;
}

// Buffers exist (ModelForward does pointer arithmetic on them) but are never read or written, so
// they are left uninitialised: the pages of large batches are never touched.
float* RooflineOps::alloc_floats(std::size_t count) {
  floats_.emplace_back(new float[count]);
  return floats_.back().get();
}

std::int32_t* RooflineOps::alloc_ints(std::size_t count) {
  ints_.emplace_back(new std::int32_t[count]);
  return ints_.back().get();
}

void RooflineOps::upload(const void*, void*, std::size_t bytes) {
  trace_.push_back({RooflineStep::Kind::upload, 0, static_cast<double>(bytes)});
}

void RooflineOps::download(const void*, void*, std::size_t bytes) {
  trace_.push_back({RooflineStep::Kind::download, 0, static_cast<double>(bytes)});
}

void RooflineOps::kernel(double flops, double bytes, RooflineStep::Kind kind) { trace_.push_back({kind, flops, bytes}); }

// C (m x n) = A (m x k) B (k x n): each operand read once, the result written once.
void RooflineOps::gemm(double m, double n, double k) {
  kernel(2 * m * n * k, kFloat * (m * k + k * n + m * n), RooflineStep::Kind::gemm);
}

void RooflineOps::embedding_bag(const EmbeddingTable& t, const std::int32_t*, int batch, float*, int, int) {
  const double b = batch, lookups = t.lookups, dim = t.dim;
  kernel(b * lookups * dim, kFloat * (b * lookups * (dim + 1) + b * dim), RooflineStep::Kind::gather);
}

void RooflineOps::mlp(const Mlp& mlp, const float*, int, int rows, float*) {
  const double m = rows;
  for (std::size_t l = 0; l < mlp.layers.size(); ++l) {
    const auto& layer = mlp.layers[l];
    gemm(m, layer.out, layer.in);
    // Bias + activation in place, one kernel; for a softmax head, bias + softmax in one kernel.
    const bool softmax = l + 1 == mlp.layers.size() && mlp.last == Activation::softmax;
    kernel((softmax ? 5 : 2) * m * layer.out, kFloat * (2 * m * layer.out + layer.out));
  }
}

void RooflineOps::copy_block(const float*, int, int, int rows, int cols, float*, int, int) {
  kernel(0, kFloat * 2.0 * rows * cols);
}

void RooflineOps::multiply_block(const float*, int, const float*, int, int, int rows, int cols, float*, int, int) {
  kernel(1.0 * rows * cols, kFloat * 3.0 * rows * cols);
}

void RooflineOps::sum_blocks(const float*, int, int rows, int blocks, int width, float*) {
  kernel(1.0 * rows * blocks * width, kFloat * (1.0 * rows * blocks * width + 1.0 * rows * width));
}

void RooflineOps::pairwise_dot(const float*, int batch, int f, int d, float*, int) {
  const double b = batch, pairs = f * (f - 1) / 2.0;
  kernel(2 * b * pairs * d, kFloat * (b * f * d + b * (d + pairs)));
}

void RooflineOps::din_attention_input(const float*, const float*, int batch, int k, int d, float*) {
  const double b = batch;
  kernel(b * k * d, kFloat * (b * k * d + b * d + 3 * b * k * d));
}

void RooflineOps::weighted_sum(const float*, const float*, int batch, int k, int d, float*, int, int) {
  const double b = batch;
  kernel(2 * b * k * d, kFloat * (b * k * d + b * k + b * d));
}

void RooflineOps::sequence_attention(const float*, const float*, int steps, int batch, int hidden, float*) {
  const double t = steps, b = batch;
  kernel(2 * t * b * hidden + 4 * t * b, kFloat * (t * b * hidden + b * hidden + t * b));
}

void RooflineOps::recurrent(const GruWeights& g, int steps, int batch) {
  const double b = batch, h = g.hidden;
  gemm(static_cast<double>(steps) * b, 3 * h, g.input);  // every step's input projection at once
  for (int t = 0; t < steps; ++t) {
    if (t > 0) gemm(b, 2 * h, h);                       // h . [Wu Wr] (the first step's h is zero)
    kernel(8 * b * h, kFloat * (2 * b * 2 * h + 2 * b * h));  // gates u, r and r * h
    if (t > 0) gemm(b, h, h);                           // (r * h) . Wo
    kernel(8 * b * h, kFloat * (4 * b * h));            // candidate and new state
  }
}

void RooflineOps::gru(const GruWeights& g, const float*, int steps, int batch, float*) { recurrent(g, steps, batch); }

void RooflineOps::augru(const GruWeights& g, const float*, const float*, int steps, int batch, float*) {
  recurrent(g, steps, batch);
}

}  // namespace recsim
