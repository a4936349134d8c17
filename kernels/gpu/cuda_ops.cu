#include "kernels/gpu/cuda_ops.h"

#include <cublas_v2.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace recsim {
namespace {

void check_cuda(cudaError_t e, const char* call) {
  if (e != cudaSuccess) throw std::runtime_error(std::string(call) + " failed: " + cudaGetErrorString(e));
}

void check_cublas(cublasStatus_t s, const char* call) {
  if (s != CUBLAS_STATUS_SUCCESS) throw std::runtime_error(std::string(call) + " failed: " + cublasGetStatusString(s));
}

#define RECSIM_CUDA(call) check_cuda((call), #call)
#define RECSIM_CUBLAS(call) check_cublas((call), #call)
#define RECSIM_LAUNCHED(kernel) check_cuda(cudaGetLastError(), #kernel " launch")

constexpr int kThreads = 256;
constexpr std::size_t kMaxBlocks = 1u << 20;  // grid-stride loops cover the rest

unsigned blocks_for(std::size_t n, int threads = kThreads) {
  return static_cast<unsigned>(std::min(kMaxBlocks, (n + static_cast<std::size_t>(threads) - 1) / threads));
}

// ---- device code ----

enum class Act : int { none = 0, relu = 1, sigmoid = 2 };

__device__ __forceinline__ float sigmoidf(float x) { return 1.0f / (1.0f + expf(-x)); }

__device__ __forceinline__ float warp_sum(float v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ float warp_max(float v) {
  for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

__device__ __forceinline__ std::size_t grid_index() {
  return static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ std::size_t grid_stride() { return static_cast<std::size_t>(gridDim.x) * blockDim.x; }

// One output row per threadIdx.y, threads along x over the dimension (coalesced row reads);
// lookups summed in order from zero, as the reference does.
__global__ void embedding_bag_kernel(const float* __restrict__ table, const std::int32_t* __restrict__ idx, int batch,
                                     int lookups, int dim, float* __restrict__ out, int out_ld, int offset) {
  const int row = static_cast<int>(blockIdx.x * blockDim.y + threadIdx.y);
  if (row >= batch) return;
  const std::int32_t* ids = idx + static_cast<std::size_t>(row) * lookups;
  float* po = out + static_cast<std::size_t>(row) * out_ld + offset;
  for (int c = static_cast<int>(threadIdx.x); c < dim; c += static_cast<int>(blockDim.x)) {
    float s = 0.0f;
    for (int l = 0; l < lookups; ++l) s += table[static_cast<std::size_t>(ids[l]) * dim + c];
    po[c] = s;
  }
}

// y[r, c] = act(y[r, c] + bias[c]).
__global__ void bias_activation_kernel(float* __restrict__ y, const float* __restrict__ bias, int rows, int cols,
                                       Act act) {
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    float v = y[i] + bias[i % static_cast<std::size_t>(cols)];
    if (act == Act::relu) v = fmaxf(0.0f, v);
    else if (act == Act::sigmoid) v = sigmoidf(v);
    y[i] = v;
  }
}

// y[r, :] = softmax(y[r, :] + bias), one warp per row.
__global__ void bias_softmax_kernel(float* __restrict__ y, const float* __restrict__ bias, int rows, int cols) {
  const int row = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) / 32);
  const int lane = static_cast<int>(threadIdx.x % 32);
  if (row >= rows) return;  // uniform per warp
  float* p = y + static_cast<std::size_t>(row) * cols;
  float top = -INFINITY;
  for (int c = lane; c < cols; c += 32) {
    const float v = p[c] + bias[c];
    p[c] = v;
    top = fmaxf(top, v);
  }
  top = warp_max(top);
  float sum = 0.0f;
  for (int c = lane; c < cols; c += 32) {
    const float e = expf(p[c] - top);
    p[c] = e;
    sum += e;
  }
  sum = warp_sum(sum);
  for (int c = lane; c < cols; c += 32) p[c] /= sum;
}

__global__ void copy_block_kernel(const float* __restrict__ src, int src_ld, int src_off, int rows, int cols,
                                  float* __restrict__ dst, int dst_ld, int dst_off) {
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t r = i / cols, c = i % cols;
    dst[r * dst_ld + dst_off + c] = src[r * src_ld + src_off + c];
  }
}

__global__ void multiply_block_kernel(const float* __restrict__ a, int a_off, const float* __restrict__ b, int b_off,
                                      int ld, int rows, int cols, float* __restrict__ dst, int dst_ld, int dst_off) {
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t r = i / cols, c = i % cols;
    dst[r * dst_ld + dst_off + c] = a[r * ld + a_off + c] * b[r * ld + b_off + c];
  }
}

// One thread per output value of a row: the copied bottom output (c < d) or one pair's dot product.
__global__ void pairwise_dot_kernel(const float* __restrict__ x, int batch, int f, int d, float* __restrict__ out,
                                    int out_ld) {
  const int pairs = f * (f - 1) / 2, width = d + pairs;
  const std::size_t n = static_cast<std::size_t>(batch) * width;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t b = i / width;
    const int c = static_cast<int>(i % width);
    const float* px = x + b * f * d;
    if (c < d) {
      out[b * out_ld + c] = px[c];
      continue;
    }
    int p = c - d, row = 1;
    while (p >= row) p -= row++;  // pair (row, p) with p < row
    const float* xi = px + static_cast<std::size_t>(row) * d;
    const float* xj = px + static_cast<std::size_t>(p) * d;
    float dot = 0.0f;
    for (int k = 0; k < d; ++k) dot += xi[k] * xj[k];
    out[b * out_ld + c] = dot;
  }
}

__global__ void sum_blocks_kernel(const float* __restrict__ src, int src_ld, int rows, int blocks, int width,
                                  float* __restrict__ dst) {
  const std::size_t n = static_cast<std::size_t>(rows) * width;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t r = i / width, c = i % width;
    const float* ps = src + r * src_ld + c;
    float s = 0.0f;
    for (int k = 0; k < blocks; ++k) s += ps[static_cast<std::size_t>(k) * width];
    dst[i] = s;
  }
}

// x[(b*k + j), :] = [e_bj, ad_b, e_bj * ad_b].
__global__ void din_attention_input_kernel(const float* __restrict__ e, const float* __restrict__ ad, int batch, int k,
                                           int d, float* __restrict__ x) {
  const std::size_t n = static_cast<std::size_t>(batch) * k * d;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t row = i / d, c = i % d, b = row / k;
    const float ev = e[i], av = ad[b * d + c];
    float* px = x + row * 3 * d;
    px[c] = ev;
    px[d + c] = av;
    px[2 * d + c] = ev * av;
  }
}

// out[b, off + c] = sum over j of score[b*k + j] * e[b*k + j, c].
__global__ void weighted_sum_kernel(const float* __restrict__ e, const float* __restrict__ score, int batch, int k,
                                    int d, float* __restrict__ out, int out_ld, int off) {
  const std::size_t n = static_cast<std::size_t>(batch) * d;
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t b = i / d, c = i % d;
    float s = 0.0f;
    for (int j = 0; j < k; ++j) {
      const std::size_t row = b * k + j;
      s += score[row] * e[row * d + c];
    }
    out[b * out_ld + off + c] = s;
  }
}

// att[t*batch + b] = softmax over t of dot(h_all[t, b, :], query[b, :]), one warp per item b.
__global__ void sequence_attention_kernel(const float* __restrict__ h_all, const float* __restrict__ query, int steps,
                                          int batch, int hidden, float* __restrict__ att) {
  const int b = static_cast<int>((blockIdx.x * blockDim.x + threadIdx.x) / 32);
  const int lane = static_cast<int>(threadIdx.x % 32);
  if (b >= batch) return;  // uniform per warp
  const float* q = query + static_cast<std::size_t>(b) * hidden;
  float top = -INFINITY;
  for (int t = 0; t < steps; ++t) {
    const float* h = h_all + (static_cast<std::size_t>(t) * batch + b) * hidden;
    float dot = 0.0f;
    for (int c = lane; c < hidden; c += 32) dot += h[c] * q[c];
    dot = warp_sum(dot);
    top = fmaxf(top, dot);
    if (lane == 0) att[static_cast<std::size_t>(t) * batch + b] = dot;
  }
  __syncwarp();
  float sum = 0.0f;
  for (int t = lane; t < steps; t += 32) {
    float* p = att + static_cast<std::size_t>(t) * batch + b;
    const float e = expf(*p - top);
    *p = e;
    sum += e;
  }
  sum = warp_sum(sum);
  for (int t = lane; t < steps; t += 32) att[static_cast<std::size_t>(t) * batch + b] /= sum;
}

// GRU step, part 1: u = sigmoid(gx_u + b_u + gh_u) scaled by (1 - a) when att is given,
// r = sigmoid(gx_r + b_r + gh_r), rh = r * h. gh and h are null on the first step (h = 0).
__global__ void gru_gates_kernel(const float* __restrict__ gx, const float* __restrict__ bias,
                                 const float* __restrict__ gh, const float* __restrict__ h,
                                 const float* __restrict__ att, int batch, int hidden, float* __restrict__ u,
                                 float* __restrict__ rh) {
  const std::size_t n = static_cast<std::size_t>(batch) * hidden;
  const std::size_t H = static_cast<std::size_t>(hidden);
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t b = i / H, j = i % H;
    float su = gx[b * 3 * H + j] + bias[j];
    float sr = gx[b * 3 * H + H + j] + bias[H + j];
    if (gh) {
      su += gh[b * 2 * H + j];
      sr += gh[b * 2 * H + H + j];
    }
    float uj = sigmoidf(su);
    if (att) uj *= 1.0f - att[b];
    u[i] = uj;
    if (h) rh[i] = sigmoidf(sr) * h[i];
  }
}

// GRU step, part 2: o = tanh(gx_o + b_o + go), h' = u * h + (1 - u) * o. go and h are null on the
// first step (h = 0).
__global__ void gru_output_kernel(const float* __restrict__ gx, const float* __restrict__ bias,
                                  const float* __restrict__ go, const float* __restrict__ u, const float* h, int batch,
                                  int hidden, float* h_out) {
  const std::size_t n = static_cast<std::size_t>(batch) * hidden;
  const std::size_t H = static_cast<std::size_t>(hidden);
  for (std::size_t i = grid_index(); i < n; i += grid_stride()) {
    const std::size_t b = i / H, j = i % H;
    float so = gx[b * 3 * H + 2 * H + j] + bias[2 * H + j];
    if (go) so += go[i];
    const float o = tanhf(so);
    const float hp = h ? h[i] : 0.0f;
    h_out[i] = u[i] * hp + (1.0f - u[i]) * o;
  }
}

}  // namespace

// ---- host side ----

struct CudaOps::Impl {
  // Growable device scratch, one per use.
  enum Slot { mlp_a, mlp_b, gru_x, gru_h, gru_u, gru_rh, gru_o, gru_state_a, gru_state_b, kSlots };
  struct Scratch {
    float* ptr = nullptr;
    std::size_t count = 0;
  };
  // A device copy of one weight struct's arrays, with the host arrays it was made from.
  struct WeightCopy {
    std::vector<const float*> host;
    std::vector<std::size_t> counts;
    std::vector<float*> device;
    bool complete = false;  // every copy queued
  };

  int device = 0;
  cudaStream_t stream = nullptr;
  cublasHandle_t blas = nullptr;
  std::vector<void*> allocations;
  std::unordered_map<const void*, WeightCopy> weights;
  std::array<Scratch, kSlots> scratch{};
  char* upload_staging = nullptr;  // pinned
  std::size_t upload_capacity = 0, upload_used = 0;
  char* download_staging = nullptr;  // pinned
  std::size_t download_capacity = 0;
  std::array<cudaEvent_t, kMarks> marks{};
  cudaEvent_t download_start = nullptr, download_end = nullptr;
  bool downloaded = false;

  // Separate from the constructor so that the destructor releases whatever was created if a step fails.
  void init(int dev) {
    device = dev;
    RECSIM_CUDA(cudaSetDevice(device));
    RECSIM_CUDA(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
    RECSIM_CUBLAS(cublasCreate(&blas));
    RECSIM_CUBLAS(cublasSetStream(blas, stream));
    RECSIM_CUBLAS(cublasSetMathMode(blas, CUBLAS_DEFAULT_MATH));  // FP32 throughout, no TF32
    for (auto& e : marks) RECSIM_CUDA(cudaEventCreate(&e));
    RECSIM_CUDA(cudaEventCreate(&download_start));
    RECSIM_CUDA(cudaEventCreate(&download_end));
  }

  // Releases everything; errors are ignored (a destructor must not throw).
  ~Impl() {
    cudaSetDevice(device);
    if (stream) cudaStreamSynchronize(stream);
    if (blas) cublasDestroy(blas);
    for (void* p : allocations) cudaFree(p);
    for (auto& [key, copy] : weights)
      for (float* p : copy.device) cudaFree(p);
    for (auto& s : scratch) cudaFree(s.ptr);
    if (upload_staging) cudaFreeHost(upload_staging);
    if (download_staging) cudaFreeHost(download_staging);
    for (auto& e : marks)
      if (e) cudaEventDestroy(e);
    if (download_start) cudaEventDestroy(download_start);
    if (download_end) cudaEventDestroy(download_end);
    if (stream) cudaStreamDestroy(stream);
  }

  void sync() {
    RECSIM_CUDA(cudaStreamSynchronize(stream));
    upload_used = 0;
  }

  void* allocate(std::size_t bytes) {
    void* p = nullptr;
    RECSIM_CUDA(cudaMalloc(&p, std::max<std::size_t>(bytes, 1)));
    allocations.push_back(p);
    return p;
  }

  float* scratch_for(Slot slot, std::size_t count) {
    Scratch& s = scratch[slot];
    if (s.count < count) {
      const std::size_t grown = std::max(count, s.count + s.count / 2);
      sync();  // queued work may still use the old buffer
      RECSIM_CUDA(cudaFree(s.ptr));
      s.ptr = nullptr;
      s.count = 0;
      RECSIM_CUDA(cudaMalloc(reinterpret_cast<void**>(&s.ptr), grown * sizeof(float)));
      s.count = grown;
    }
    return s.ptr;
  }

  // Device copies of `parts` (the arrays of the weight struct at `owner`), uploaded on first use and
  // again if an array's data pointer or size has changed since.
  const std::vector<float*>& device_weights(const void* owner, std::initializer_list<const std::vector<float>*> parts) {
    WeightCopy& c = weights[owner];
    bool current = c.complete && c.device.size() == parts.size();
    std::size_t i = 0;
    for (const auto* p : parts) {
      if (!current) break;
      current = c.host[i] == p->data() && c.counts[i] == p->size();
      ++i;
    }
    if (current) return c.device;
    if (!c.device.empty()) sync();  // queued work may still use the old copy
    for (float* p : c.device) RECSIM_CUDA(cudaFree(p));
    c = WeightCopy{};
    for (const auto* p : parts) {
      c.host.push_back(p->data());
      c.counts.push_back(p->size());
      float* d = nullptr;
      if (!p->empty()) RECSIM_CUDA(cudaMalloc(reinterpret_cast<void**>(&d), p->size() * sizeof(float)));
      c.device.push_back(d);  // owned from here, even if the copy below throws
      if (d) RECSIM_CUDA(cudaMemcpyAsync(d, p->data(), p->size() * sizeof(float), cudaMemcpyHostToDevice, stream));
    }
    c.complete = true;
    return c.device;
  }

  // Row-major C (rows x n, row stride ldc) = A (rows x k, row stride lda) * W (k x n, row stride ldw),
  // computed as the column-major product C^T = W^T A^T.
  void gemm(int rows, int n, int k, const float* a, int lda, const float* w, int ldw, float* c, int ldc) {
    const float one = 1.0f, zero = 0.0f;
    RECSIM_CUBLAS(cublasSgemm(blas, CUBLAS_OP_N, CUBLAS_OP_N, n, rows, k, &one, w, ldw, a, lda, &zero, c, ldc));
  }

  // GRU (att null: every state into h_all) or AUGRU (the last state into h_last).
  void recurrent(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_all,
                 float* h_last) {
    const int H = g.hidden;
    const std::size_t BH = static_cast<std::size_t>(batch) * H;
    if (batch <= 0 || H <= 0) return;
    if (steps <= 0) {
      if (h_last) RECSIM_CUDA(cudaMemsetAsync(h_last, 0, BH * sizeof(float), stream));
      return;
    }
    const auto& dev = device_weights(&g, {&g.wx, &g.wh, &g.b});
    const float *wx = dev[0], *wh = dev[1], *bias = dev[2];
    // Input projections of every step at once: gx (T*B x 3H) = x (T*B x input) Wx.
    float* gx = scratch_for(gru_x, static_cast<std::size_t>(steps) * BH * 3);
    gemm(steps * batch, 3 * H, g.input, x, g.input, wx, 3 * H, gx, 3 * H);
    float* gh = scratch_for(gru_h, BH * 2);
    float* u = scratch_for(gru_u, BH);
    float* rh = scratch_for(gru_rh, BH);
    float* go = scratch_for(gru_o, BH);
    float* state[2] = {scratch_for(gru_state_a, BH), scratch_for(gru_state_b, BH)};
    const float* h = nullptr;  // the previous state; null: zero
    for (int t = 0; t < steps; ++t) {
      const float* gx_t = gx + static_cast<std::size_t>(t) * BH * 3;
      const float* att_t = att ? att + static_cast<std::size_t>(t) * batch : nullptr;
      float* h_out = h_all ? h_all + static_cast<std::size_t>(t) * BH : (t + 1 == steps ? h_last : state[t % 2]);
      if (h) gemm(batch, 2 * H, H, h, H, wh, 3 * H, gh, 2 * H);  // h Wh[:, 0:2H]
      gru_gates_kernel<<<blocks_for(BH), kThreads, 0, stream>>>(gx_t, bias, h ? gh : nullptr, h, att_t, batch, H, u,
                                                               rh);
      RECSIM_LAUNCHED(gru_gates_kernel);
      if (h) gemm(batch, H, H, rh, H, wh + 2 * H, 3 * H, go, H);  // (r * h) Wh[:, 2H:3H]
      gru_output_kernel<<<blocks_for(BH), kThreads, 0, stream>>>(gx_t, bias, h ? go : nullptr, u, h, batch, H, h_out);
      RECSIM_LAUNCHED(gru_output_kernel);
      h = h_out;
    }
  }
};

CudaOps::CudaOps(int device) : impl_(std::make_unique<Impl>()) { impl_->init(device); }
CudaOps::~CudaOps() = default;

float* CudaOps::alloc_floats(std::size_t count) { return static_cast<float*>(impl_->allocate(count * sizeof(float))); }

std::int32_t* CudaOps::alloc_ints(std::size_t count) {
  return static_cast<std::int32_t*>(impl_->allocate(count * sizeof(std::int32_t)));
}

// Copies into pinned staging, then queues the device copy; staging is reused after the next
// synchronisation (or once full, after waiting for the stream).
void CudaOps::upload(const void* host, void* device, std::size_t bytes) {
  if (bytes == 0) return;
  Impl& m = *impl_;
  if (m.upload_used + bytes > m.upload_capacity) {
    m.sync();
    if (bytes > m.upload_capacity) {
      const std::size_t grown = std::max({bytes, 2 * m.upload_capacity, std::size_t{1} << 20});
      if (m.upload_staging) RECSIM_CUDA(cudaFreeHost(m.upload_staging));
      m.upload_staging = nullptr;
      m.upload_capacity = 0;
      RECSIM_CUDA(cudaMallocHost(reinterpret_cast<void**>(&m.upload_staging), grown));
      m.upload_capacity = grown;
    }
  }
  char* staged = m.upload_staging + m.upload_used;
  std::memcpy(staged, host, bytes);
  RECSIM_CUDA(cudaMemcpyAsync(device, staged, bytes, cudaMemcpyHostToDevice, m.stream));
  m.upload_used = std::min(m.upload_capacity, m.upload_used + ((bytes + 255) & ~std::size_t{255}));
}

void CudaOps::download(const void* device, void* host, std::size_t bytes) {
  if (bytes == 0) return;
  Impl& m = *impl_;
  if (bytes > m.download_capacity) {
    if (m.download_staging) RECSIM_CUDA(cudaFreeHost(m.download_staging));
    m.download_staging = nullptr;
    m.download_capacity = 0;
    const std::size_t grown = std::max(bytes, std::size_t{1} << 16);
    RECSIM_CUDA(cudaMallocHost(reinterpret_cast<void**>(&m.download_staging), grown));
    m.download_capacity = grown;
  }
  RECSIM_CUDA(cudaEventRecord(m.download_start, m.stream));
  RECSIM_CUDA(cudaMemcpyAsync(m.download_staging, device, bytes, cudaMemcpyDeviceToHost, m.stream));
  RECSIM_CUDA(cudaEventRecord(m.download_end, m.stream));
  m.sync();
  std::memcpy(host, m.download_staging, bytes);
  m.downloaded = true;
}

void CudaOps::embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out, int out_ld,
                            int offset) {
  if (batch <= 0 || table.dim <= 0) return;
  const float* data = impl_->device_weights(&table, {&table.data})[0];
  const int tx = table.dim >= 128 ? 128 : (table.dim + 31) / 32 * 32;
  const int ty = std::max(1, kThreads / tx);
  const dim3 block(static_cast<unsigned>(tx), static_cast<unsigned>(ty));
  const unsigned grid = static_cast<unsigned>((batch + ty - 1) / ty);
  embedding_bag_kernel<<<grid, block, 0, impl_->stream>>>(data, idx, batch, table.lookups, table.dim, out, out_ld,
                                                          offset);
  RECSIM_LAUNCHED(embedding_bag_kernel);
}

void CudaOps::mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) {
  if (mlp.layers.empty()) throw std::invalid_argument("an MLP needs at least one layer");
  if (rows <= 0) return;
  Impl& m = *impl_;
  int widest = 0;
  for (std::size_t l = 0; l + 1 < mlp.layers.size(); ++l) widest = std::max(widest, mlp.layers[l].out);
  float* hidden[2] = {nullptr, nullptr};
  if (mlp.layers.size() > 1) {
    const std::size_t n = static_cast<std::size_t>(rows) * widest;
    hidden[0] = m.scratch_for(Impl::mlp_a, n);
    hidden[1] = m.scratch_for(Impl::mlp_b, n);
  }
  const float* src = in;
  int ld = in_ld;
  for (std::size_t l = 0; l < mlp.layers.size(); ++l) {
    const DenseLayer& layer = mlp.layers[l];
    const bool last = l + 1 == mlp.layers.size();
    float* dst = last ? out : hidden[l % 2];
    const auto& dev = m.device_weights(&layer, {&layer.w, &layer.b});
    m.gemm(rows, layer.out, layer.in, src, ld, dev[0], layer.out, dst, layer.out);
    const Activation act = last ? mlp.last : Activation::relu;
    if (act == Activation::softmax) {
      const unsigned warps_per_block = kThreads / 32;
      const unsigned grid = (static_cast<unsigned>(rows) + warps_per_block - 1) / warps_per_block;
      bias_softmax_kernel<<<grid, kThreads, 0, m.stream>>>(dst, dev[1], rows, layer.out);
      RECSIM_LAUNCHED(bias_softmax_kernel);
    } else {
      const Act a = act == Activation::relu ? Act::relu : act == Activation::sigmoid ? Act::sigmoid : Act::none;
      bias_activation_kernel<<<blocks_for(static_cast<std::size_t>(rows) * layer.out), kThreads, 0, m.stream>>>(
          dst, dev[1], rows, layer.out, a);
      RECSIM_LAUNCHED(bias_activation_kernel);
    }
    src = dst;
    ld = layer.out;
  }
}

void CudaOps::copy_block(const float* src, int src_ld, int src_off, int rows, int cols, float* dst, int dst_ld,
                         int dst_off) {
  const std::size_t n = static_cast<std::size_t>(std::max(rows, 0)) * std::max(cols, 0);
  if (n == 0) return;
  copy_block_kernel<<<blocks_for(n), kThreads, 0, impl_->stream>>>(src, src_ld, src_off, rows, cols, dst, dst_ld,
                                                                   dst_off);
  RECSIM_LAUNCHED(copy_block_kernel);
}

void CudaOps::multiply_block(const float* a, int a_off, const float* b, int b_off, int ld, int rows, int cols,
                             float* dst, int dst_ld, int dst_off) {
  const std::size_t n = static_cast<std::size_t>(std::max(rows, 0)) * std::max(cols, 0);
  if (n == 0) return;
  multiply_block_kernel<<<blocks_for(n), kThreads, 0, impl_->stream>>>(a, a_off, b, b_off, ld, rows, cols, dst, dst_ld,
                                                                       dst_off);
  RECSIM_LAUNCHED(multiply_block_kernel);
}

void CudaOps::pairwise_dot(const float* x, int batch, int f, int d, float* out, int out_ld) {
  const std::size_t n = static_cast<std::size_t>(std::max(batch, 0)) * (d + f * (f - 1) / 2);
  if (n == 0) return;
  pairwise_dot_kernel<<<blocks_for(n), kThreads, 0, impl_->stream>>>(x, batch, f, d, out, out_ld);
  RECSIM_LAUNCHED(pairwise_dot_kernel);
}

void CudaOps::sum_blocks(const float* src, int src_ld, int rows, int blocks, int width, float* dst) {
  const std::size_t n = static_cast<std::size_t>(std::max(rows, 0)) * std::max(width, 0);
  if (n == 0) return;
  sum_blocks_kernel<<<blocks_for(n), kThreads, 0, impl_->stream>>>(src, src_ld, rows, blocks, width, dst);
  RECSIM_LAUNCHED(sum_blocks_kernel);
}

void CudaOps::din_attention_input(const float* e, const float* ad, int batch, int k, int d, float* x) {
  const std::size_t n = static_cast<std::size_t>(std::max(batch, 0)) * std::max(k, 0) * std::max(d, 0);
  if (n == 0) return;
  din_attention_input_kernel<<<blocks_for(n), kThreads, 0, impl_->stream>>>(e, ad, batch, k, d, x);
  RECSIM_LAUNCHED(din_attention_input_kernel);
}

void CudaOps::weighted_sum(const float* e, const float* score, int batch, int k, int d, float* out, int out_ld,
                           int off) {
  const std::size_t n = static_cast<std::size_t>(std::max(batch, 0)) * std::max(d, 0);
  if (n == 0) return;
  weighted_sum_kernel<<<blocks_for(n), kThreads, 0, impl_->stream>>>(e, score, batch, k, d, out, out_ld, off);
  RECSIM_LAUNCHED(weighted_sum_kernel);
}

void CudaOps::gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) {
  impl_->recurrent(g, x, nullptr, steps, batch, h_all, nullptr);
}

void CudaOps::sequence_attention(const float* h_all, const float* query, int steps, int batch, int hidden,
                                 float* att) {
  if (steps <= 0 || batch <= 0) return;
  const unsigned warps_per_block = kThreads / 32;
  const unsigned grid = (static_cast<unsigned>(batch) + warps_per_block - 1) / warps_per_block;
  sequence_attention_kernel<<<grid, kThreads, 0, impl_->stream>>>(h_all, query, steps, batch, hidden, att);
  RECSIM_LAUNCHED(sequence_attention_kernel);
}

void CudaOps::augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) {
  impl_->recurrent(g, x, att, steps, batch, nullptr, h_last);
}

void CudaOps::synchronize() { impl_->sync(); }

void CudaOps::release_weights() {
  impl_->sync();
  const auto copies = std::move(impl_->weights);
  impl_->weights.clear();
  for (const auto& [key, copy] : copies)
    for (float* p : copy.device) RECSIM_CUDA(cudaFree(p));
}

void CudaOps::mark(int i) {
  if (i < 0 || i >= kMarks) throw std::out_of_range("CudaOps::mark: no such mark");
  RECSIM_CUDA(cudaEventRecord(impl_->marks[static_cast<std::size_t>(i)], impl_->stream));
}

double CudaOps::elapsed_ms(int from, int to) {
  if (from < 0 || from >= kMarks || to < 0 || to >= kMarks)
    throw std::out_of_range("CudaOps::elapsed_ms: no such mark");
  cudaEvent_t end = impl_->marks[static_cast<std::size_t>(to)];
  RECSIM_CUDA(cudaEventSynchronize(end));
  float ms = 0.0f;
  RECSIM_CUDA(cudaEventElapsedTime(&ms, impl_->marks[static_cast<std::size_t>(from)], end));
  return ms;
}

double CudaOps::last_download_ms() {
  if (!impl_->downloaded) return 0.0;
  float ms = 0.0f;
  RECSIM_CUDA(cudaEventElapsedTime(&ms, impl_->download_start, impl_->download_end));
  return ms;
}

bool cuda_device_available() {
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();  // clear it
    return false;
  }
  return count > 0;
}

std::string cuda_device_description() {
  if (!cuda_device_available()) return "no CUDA device";
  cudaDeviceProp p{};
  RECSIM_CUDA(cudaGetDeviceProperties(&p, 0));
  int driver = 0;
  RECSIM_CUDA(cudaDriverGetVersion(&driver));
  char line[512];
  std::snprintf(line, sizeof line, "%s, compute capability %d.%d, %d SMs, %.1f GiB, driver supports CUDA %d.%d", p.name,
                p.major, p.minor, p.multiProcessorCount, static_cast<double>(p.totalGlobalMem) / (1024.0 * 1024 * 1024),
                driver / 1000, driver % 1000 / 10);
  return line;
}

std::string cuda_runtime_version() {
  int v = 0;
  RECSIM_CUDA(cudaRuntimeGetVersion(&v));
  return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

std::string cublas_version() {
  int major = 0, minor = 0, patch = 0;
  RECSIM_CUBLAS(cublasGetProperty(MAJOR_VERSION, &major));
  RECSIM_CUBLAS(cublasGetProperty(MINOR_VERSION, &minor));
  RECSIM_CUBLAS(cublasGetProperty(PATCH_LEVEL, &patch));
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

}  // namespace recsim
