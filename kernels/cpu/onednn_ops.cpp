#include "kernels/cpu/onednn_ops.h"

#include <omp.h>

#include <cstring>
#include <vector>

namespace recsim {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

struct OneDnnOps::MlpPlan {
  struct Step {
    dnnl::primitive prim;
    memory src, weights, bias, dst, scratchpad;
  };
  std::vector<Step> steps;
  std::vector<std::vector<float>> buffers;  // outputs of the hidden layers
  bool softmax = false;
  dnnl::softmax_forward softmax_prim;
  memory softmax_mem, softmax_scratchpad;
};

struct OneDnnOps::RnnPlan {
  dnnl::primitive prim;
  memory src_layer, attention, weights_layer, weights_iter, bias, dst_layer, dst_iter, scratchpad;
};

namespace {
// Every primitive gets its own scratchpad, owned by its plan: with oneDNN's default library-managed
// scratchpad, identical primitives created by two instances (the primitive cache hands both the
// same object) would share one, which corrupts memory when the instances run on two threads at
// once, as the contention calibration does.
dnnl::primitive_attr private_scratchpad() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}
}  // namespace

OneDnnOps::OneDnnOps() : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {}
OneDnnOps::~OneDnnOps() = default;

// Gather + sum pooling, one output row at a time; the inner loop over the dimension vectorises.
// With intra-op threads (omp_set_num_threads), the rows are split among them.
void OneDnnOps::embedding_bag(const EmbeddingTable& table, const std::int32_t* idx, int batch, float* out, int out_ld,
                              int offset) {
  const int dim = table.dim, lookups = table.lookups;
  const float* data = table.data.data();
#pragma omp parallel for schedule(static) if (batch > 1 && omp_get_max_threads() > 1)
  for (int b = 0; b < batch; ++b) {
    float* __restrict po = out + static_cast<std::size_t>(b) * out_ld + offset;
    const std::int32_t* ids = idx + static_cast<std::size_t>(b) * lookups;
    const float* __restrict first = data + static_cast<std::size_t>(ids[0]) * dim;
    for (int c = 0; c < dim; ++c) po[c] = first[c];
    for (int l = 1; l < lookups; ++l) {
      const float* __restrict row = data + static_cast<std::size_t>(ids[l]) * dim;
      if (l + 4 < lookups) __builtin_prefetch(data + static_cast<std::size_t>(ids[l + 4]) * dim);
      for (int c = 0; c < dim; ++c) po[c] += row[c];
    }
  }
}

OneDnnOps::MlpPlan& OneDnnOps::mlp_plan(const Mlp& mlp, int in_ld, int rows) {
  auto key = std::make_tuple(&mlp, in_ld, rows);
  auto it = mlp_plans_.find(key);
  if (it != mlp_plans_.end()) return *it->second;
  auto plan = std::make_unique<MlpPlan>();
  const memory::dim M = rows;
  for (std::size_t l = 0; l < mlp.layers.size(); ++l) {
    const auto& layer = mlp.layers[l];
    const bool last = l + 1 == mlp.layers.size();
    const memory::dim K = layer.in, N = layer.out;
    const memory::dim ld = l == 0 ? in_ld : K;
    memory::desc src_md({M, K}, dt::f32, memory::dims{ld, 1});
    memory::desc w_md({K, N}, dt::f32, tag::ab);
    memory::desc b_md({1, N}, dt::f32, tag::ab);
    memory::desc dst_md({M, N}, dt::f32, tag::ab);
    dnnl::post_ops po;
    const Activation act = last ? mlp.last : Activation::relu;
    if (act == Activation::relu) po.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    if (act == Activation::sigmoid) po.append_eltwise(1.0f, dnnl::algorithm::eltwise_logistic, 0.0f, 0.0f);
    dnnl::primitive_attr attr = private_scratchpad();
    attr.set_post_ops(po);
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(src_md, w_md, b_md, dst_md), attr, engine_);
    MlpPlan::Step step;
    step.prim = dnnl::matmul(pd);
    step.src = memory(src_md, engine_, DNNL_MEMORY_NONE);
    step.weights = memory(w_md, engine_, const_cast<float*>(layer.w.data()));
    step.bias = memory(b_md, engine_, const_cast<float*>(layer.b.data()));
    step.dst = memory(dst_md, engine_, DNNL_MEMORY_NONE);
    step.scratchpad = memory(pd.scratchpad_desc(), engine_);
    plan->steps.push_back(std::move(step));
    if (!last) plan->buffers.emplace_back(static_cast<std::size_t>(M * N));
  }
  if (mlp.last == Activation::softmax) {
    plan->softmax = true;
    memory::desc md({M, static_cast<memory::dim>(mlp.out())}, dt::f32, tag::ab);
    dnnl::softmax_forward::primitive_desc pd(
        dnnl::softmax_forward::desc(dnnl::prop_kind::forward_inference, md, 1), private_scratchpad(), engine_);
    plan->softmax_prim = dnnl::softmax_forward(pd);
    plan->softmax_scratchpad = memory(pd.scratchpad_desc(), engine_);
    plan->softmax_mem = memory(md, engine_, DNNL_MEMORY_NONE);
  }
  return *mlp_plans_.emplace(key, std::move(plan)).first->second;
}

void OneDnnOps::mlp(const Mlp& mlp, const float* in, int in_ld, int rows, float* out) {
  auto& plan = mlp_plan(mlp, in_ld, rows);
  const float* src = in;
  for (std::size_t l = 0; l < plan.steps.size(); ++l) {
    auto& s = plan.steps[l];
    float* dst = l + 1 == plan.steps.size() ? out : plan.buffers[l].data();
    s.src.set_data_handle(const_cast<float*>(src));
    s.dst.set_data_handle(dst);
    s.prim.execute(stream_, {{DNNL_ARG_SRC, s.src}, {DNNL_ARG_WEIGHTS, s.weights}, {DNNL_ARG_BIAS, s.bias},
                             {DNNL_ARG_DST, s.dst}, {DNNL_ARG_SCRATCHPAD, s.scratchpad}});
    src = dst;
  }
  if (plan.softmax) {
    plan.softmax_mem.set_data_handle(out);
    plan.softmax_prim.execute(stream_, {{DNNL_ARG_SRC, plan.softmax_mem}, {DNNL_ARG_DST, plan.softmax_mem},
                                                  {DNNL_ARG_SCRATCHPAD, plan.softmax_scratchpad}});
  }
  stream_.wait();
}

OneDnnOps::RnnPlan& OneDnnOps::rnn_plan(const GruWeights& g, bool attention, int steps, int batch) {
  auto key = std::make_tuple(&g, attention, steps, batch);
  auto it = rnn_plans_.find(key);
  if (it != rnn_plans_.end()) return *it->second;
  auto plan = std::make_unique<RnnPlan>();
  const memory::dim T = steps, N = batch, C = g.input, H = g.hidden;
  memory::desc src_md({T, N, C}, dt::f32, tag::tnc);
  memory::desc att_md({T, N, 1}, dt::f32, tag::tnc);
  memory::desc wl_any({1, 1, C, 3, H}, dt::f32, tag::any);
  memory::desc wi_any({1, 1, H, 3, H}, dt::f32, tag::any);
  memory::desc bias_md({1, 1, 3, H}, dt::f32, tag::ldgo);
  memory::desc dst_md({T, N, H}, dt::f32, tag::tnc);
  memory::desc dst_iter_md({1, 1, N, H}, dt::f32, tag::ldnc);
  memory::desc none;
  memory::desc wl_md, wi_md;
  if (attention) {
    dnnl::augru_forward::primitive_desc pd(
        dnnl::augru_forward::desc(dnnl::prop_kind::forward_inference, dnnl::rnn_direction::unidirectional_left2right,
                                  src_md, none, att_md, wl_any, wi_any, bias_md, dst_md, dst_iter_md),
        private_scratchpad(), engine_);
    plan->prim = dnnl::augru_forward(pd);
    plan->scratchpad = memory(pd.scratchpad_desc(), engine_);
    wl_md = pd.weights_layer_desc();
    wi_md = pd.weights_iter_desc();
  } else {
    dnnl::gru_forward::primitive_desc pd(
        dnnl::gru_forward::desc(dnnl::prop_kind::forward_inference, dnnl::rnn_direction::unidirectional_left2right,
                                src_md, none, wl_any, wi_any, bias_md, dst_md, dst_iter_md),
        private_scratchpad(), engine_);
    plan->prim = dnnl::gru_forward(pd);
    plan->scratchpad = memory(pd.scratchpad_desc(), engine_);
    wl_md = pd.weights_layer_desc();
    wi_md = pd.weights_iter_desc();
  }
  // The weights, reordered once from recsim's plain layout (ldigo) to the primitive's.
  auto reordered = [&](const std::vector<float>& plain, memory::dim in, const memory::desc& target) {
    memory user({{1, 1, in, 3, H}, dt::f32, tag::ldigo}, engine_, const_cast<float*>(plain.data()));
    memory m(target, engine_);
    dnnl::reorder(user, m).execute(stream_, user, m);
    stream_.wait();
    return m;
  };
  plan->weights_layer = reordered(g.wx, C, wl_md);
  plan->weights_iter = reordered(g.wh, H, wi_md);
  plan->bias = memory(bias_md, engine_, const_cast<float*>(g.b.data()));
  plan->src_layer = memory(src_md, engine_, DNNL_MEMORY_NONE);
  plan->attention = memory(att_md, engine_, DNNL_MEMORY_NONE);
  plan->dst_layer = memory(dst_md, engine_);
  plan->dst_iter = memory(dst_iter_md, engine_);
  return *rnn_plans_.emplace(key, std::move(plan)).first->second;
}

void OneDnnOps::gru(const GruWeights& g, const float* x, int steps, int batch, float* h_all) {
  auto& p = rnn_plan(g, false, steps, batch);
  p.src_layer.set_data_handle(const_cast<float*>(x));
  p.dst_layer.set_data_handle(h_all);
  p.prim.execute(stream_, {{DNNL_ARG_SRC_LAYER, p.src_layer}, {DNNL_ARG_WEIGHTS_LAYER, p.weights_layer},
                           {DNNL_ARG_WEIGHTS_ITER, p.weights_iter}, {DNNL_ARG_BIAS, p.bias},
                           {DNNL_ARG_DST_LAYER, p.dst_layer}, {DNNL_ARG_DST_ITER, p.dst_iter},
                           {DNNL_ARG_SCRATCHPAD, p.scratchpad}});
  stream_.wait();
}

void OneDnnOps::augru(const GruWeights& g, const float* x, const float* att, int steps, int batch, float* h_last) {
  auto& p = rnn_plan(g, true, steps, batch);
  p.src_layer.set_data_handle(const_cast<float*>(x));
  p.attention.set_data_handle(const_cast<float*>(att));
  p.prim.execute(stream_, {{DNNL_ARG_SRC_LAYER, p.src_layer}, {DNNL_ARG_AUGRU_ATTENTION, p.attention},
                           {DNNL_ARG_WEIGHTS_LAYER, p.weights_layer}, {DNNL_ARG_WEIGHTS_ITER, p.weights_iter},
                           {DNNL_ARG_BIAS, p.bias}, {DNNL_ARG_DST_LAYER, p.dst_layer},
                           {DNNL_ARG_DST_ITER, p.dst_iter}, {DNNL_ARG_SCRATCHPAD, p.scratchpad}});
  stream_.wait();
  std::memcpy(h_last, p.dst_iter.get_data_handle(), static_cast<std::size_t>(batch) * g.hidden * sizeof(float));
}

std::string onednn_version() {
  const auto* v = dnnl::version();
  return std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
}

std::string onednn_cpu_isa() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: return "sse41";
    case dnnl::cpu_isa::avx: return "avx";
    case dnnl::cpu_isa::avx2: return "avx2";
    case dnnl::cpu_isa::avx2_vnni: return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core: return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni: return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16: return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx: return "avx512_core_amx";
    default: return "other";
  }
}

}  // namespace recsim
