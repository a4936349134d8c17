#include "kernels/model/model_family.h"

#include "workloads/input_error.h"

#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>

namespace recsim {

// Each family's file (kernels/model/families/) defines one of these.
const ModelFamily& dlrm_family();
const ModelFamily& ncf_family();
const ModelFamily& wnd_family();
const ModelFamily& mtwnd_family();
const ModelFamily& din_family();
const ModelFamily& dien_family();
const ModelFamily& deepfm_family();
const ModelFamily& dcn_family();
const ModelFamily& mmoe_family();

const std::vector<const ModelFamily*>& model_families() {
  // One line per family.
  static const std::vector<const ModelFamily*> families = {
      &dlrm_family(),
      &ncf_family(),
      &wnd_family(),
      &mtwnd_family(),
      &din_family(),
      &dien_family(),
      &deepfm_family(),
      &dcn_family(),
      &mmoe_family(),
  };
  return families;
}

const ModelFamily* find_model_family(const std::string& name) {
  for (const ModelFamily* f : model_families())
    if (f->name == name) return f;
  return nullptr;
}

float* ForwardPass::add_scratch(std::size_t per_item) {
  scratch.push_back(ops.alloc_floats(static_cast<std::size_t>(max_batch) * per_item));
  return scratch.back();
}

int ForwardPass::pool_tables(const std::string& role, float* into, int ld, int offset) {
  for (std::size_t t = 0; t < weights.tables.size(); ++t) {
    const auto& table = weights.tables[t];
    if (!role.empty() && table.role != role) continue;
    ops.embedding_bag(table, indices[t], batch, into, ld, offset);
    offset += table.dim;
  }
  return offset;
}

std::vector<int> read_layer_widths(JsonReader& r, const std::string& key, bool required) {
  constexpr std::int64_t kMaxWidth = 1 << 20;
  std::vector<int> out;
  if (!required && !r.has(key)) return out;
  const auto& array = r.array(key);
  if (array.empty()) throw InputError(r.child_path(key), "expected at least one layer width");
  for (std::size_t i = 0; i < array.size(); ++i) {
    const auto& v = array[i];
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxWidth)
      throw InputError(r.child_path(key) + "." + std::to_string(i), "expected an integer layer width in [1, 1048576]");
    out.push_back(v.get<int>());
  }
  return out;
}

double mlp_flops(int input, const std::vector<int>& layers) {
  double flops = 0;
  for (int w : layers) {
    flops += 2.0 * input * w;
    input = w;
  }
  return flops;
}

int sum_dims(const ModelSpec& m, const std::string& role) {
  int total = 0;
  for (const auto& g : m.tables)
    if (role.empty() || g.role == role) total += g.count * g.dim;
  return total;
}

int count_role(const ModelSpec& m, const std::string& role) {
  int n = 0;
  for (const auto& g : m.tables)
    if (g.role == role) n += g.count;
  return n;
}

int first_dim(const ModelSpec& m, const std::string& role) {
  for (const auto& g : m.tables)
    if (g.role == role) return g.dim;
  return 0;
}

bool uniform_dim(const ModelSpec& m, const std::string& role) {
  for (const auto& g : m.tables)
    if (g.role == role && g.dim != first_dim(m, role)) return false;
  return true;
}

namespace {

DenseLayer make_layer(int in, int out, WeightRng& rng) {
  DenseLayer l;
  l.in = in;
  l.out = out;
  const float bound = 1.0f / std::sqrt(static_cast<float>(in));
  boost::random::uniform_real_distribution<float> u(-bound, bound);
  l.w.resize(static_cast<std::size_t>(in) * out);
  for (auto& x : l.w) x = u(rng);
  l.b.resize(static_cast<std::size_t>(out));
  for (auto& x : l.b) x = u(rng);
  return l;
}

}  // namespace

Mlp make_mlp(int in, const std::vector<int>& widths, Activation last, WeightRng& rng) {
  Mlp m;
  for (int w : widths) {
    m.layers.push_back(make_layer(in, w, rng));
    in = w;
  }
  m.last = last;
  return m;
}

GruWeights make_gru(int input, int hidden, WeightRng& rng) {
  GruWeights g;
  g.input = input;
  g.hidden = hidden;
  const float bound = 1.0f / std::sqrt(static_cast<float>(hidden));
  boost::random::uniform_real_distribution<float> u(-bound, bound);
  g.wx.resize(static_cast<std::size_t>(input) * 3 * hidden);
  g.wh.resize(static_cast<std::size_t>(hidden) * 3 * hidden);
  g.b.resize(static_cast<std::size_t>(3 * hidden));
  for (auto* v : {&g.wx, &g.wh, &g.b})
    for (auto& x : *v) x = u(rng);
  return g;
}

}  // namespace recsim
