#include "kernels/model/model_weights.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {
namespace {

using Engine = boost::random::mt19937_64;

DenseLayer make_layer(int in, int out, Engine& rng) {
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

Mlp make_mlp(int in, const std::vector<int>& widths, Activation last, Engine& rng) {
  Mlp m;
  for (int w : widths) {
    m.layers.push_back(make_layer(in, w, rng));
    in = w;
  }
  m.last = last;
  return m;
}

GruWeights make_gru(int input, int hidden, Engine& rng) {
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

// Table contents: a counter-based hash (splitmix64) mapped to [-0.05, 0.05). Filling gigabytes this
// way is ten times faster than a Mersenne twister, and the values only need to be deterministic.
void fill_table(std::vector<float>& data, std::uint64_t seed) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    data[i] = static_cast<float>(static_cast<double>(z >> 11) * 0x1.0p-53 * 0.1 - 0.05);
  }
}

int dims_of(const ModelSpec& m, const std::string& role) {
  int total = 0;
  for (const auto& t : m.expanded_tables())
    if (role.empty() || t.role == role) total += t.dim;
  return total;
}

int first_dim(const ModelSpec& m, const std::string& role) {
  for (const auto& t : m.expanded_tables())
    if (t.role == role) return t.dim;
  return 0;
}

}  // namespace

int top_input_width(const ModelSpec& m) {
  switch (m.family) {
    case ModelFamily::dlrm:
      if (m.interaction == Interaction::dot) {
        const int f = m.table_count() + 1;
        return m.bottom_mlp.back() + f * (f - 1) / 2;
      }
      return m.bottom_mlp.back() + dims_of(m, "");
    case ModelFamily::ncf: return m.dense_features + 2 * first_dim(m, "user");
    case ModelFamily::wnd:
    case ModelFamily::mtwnd: return m.dense_features + dims_of(m, "");
    case ModelFamily::din: return dims_of(m, "profile") + first_dim(m, "ad") + dims_of(m, "ad");
    case ModelFamily::dien: return m.dense_features + dims_of(m, "profile") + m.gru_hidden + dims_of(m, "ad");
  }
  return 0;
}

int dlrm_features_width(const ModelSpec& m) { return m.bottom_mlp.back() + dims_of(m, ""); }

double ModelWeights::table_bytes() const {
  double b = 0;
  for (const auto& t : tables) b += static_cast<double>(t.data.size()) * sizeof(float);
  return b;
}

double rows_scale_for(const ModelSpec& spec, double max_table_bytes) {
  return std::min(1.0, max_table_bytes / spec.table_bytes());
}

ModelWeights make_model_weights(const ModelSpec& spec, double rows_scale, std::uint64_t seed) {
  if (!(rows_scale > 0.0 && rows_scale <= 1.0)) throw std::invalid_argument("rows_scale must be in (0, 1]");
  ModelWeights w;
  w.spec = spec;
  w.rows_scale = rows_scale;
  Engine rng(seed);
  std::uint64_t table_seed = seed * 0x2545f4914f6cdd1dULL + 1;
  for (const auto& t : spec.expanded_tables()) {
    EmbeddingTable e;
    e.rows = std::max<std::int64_t>(1, std::llround(static_cast<double>(t.rows) * rows_scale));
    e.dim = t.dim;
    e.lookups = t.lookups;
    e.role = t.role;
    e.data.resize(static_cast<std::size_t>(e.rows) * e.dim);
    fill_table(e.data, table_seed++);
    w.tables.push_back(std::move(e));
  }
  const int top_in = top_input_width(spec);
  switch (spec.family) {
    case ModelFamily::dlrm:
      w.bottom = make_mlp(spec.dense_features, spec.bottom_mlp, Activation::relu, rng);
      w.top = make_mlp(top_in, spec.top_mlp, Activation::sigmoid, rng);
      break;
    case ModelFamily::ncf:
      w.top = make_mlp(top_in, spec.top_mlp, Activation::relu, rng);
      w.final_mlp = make_mlp(spec.top_mlp.back() + first_dim(spec, "user"), spec.final_mlp, Activation::sigmoid, rng);
      break;
    case ModelFamily::wnd: w.top = make_mlp(top_in, spec.top_mlp, Activation::sigmoid, rng); break;
    case ModelFamily::mtwnd:
      w.top = make_mlp(top_in, spec.top_mlp, Activation::relu, rng);
      for (int t = 0; t < spec.tasks; ++t)
        w.task_heads.push_back(make_mlp(spec.top_mlp.back(), spec.task_mlp, Activation::sigmoid, rng));
      break;
    case ModelFamily::din:
      w.attention = make_mlp(3 * first_dim(spec, "ad"), spec.attention_mlp, Activation::none, rng);
      w.top = make_mlp(top_in, spec.top_mlp, Activation::softmax, rng);
      break;
    case ModelFamily::dien: {
      const int d = first_dim(spec, "ad"), h = spec.gru_hidden;
      w.gru = make_gru(d, h, rng);
      w.augru = make_gru(h, h, rng);
      w.ad_projection = make_mlp(d, {h}, Activation::none, rng);
      w.top = make_mlp(top_in, spec.top_mlp, Activation::softmax, rng);
      break;
    }
  }
  return w;
}

}  // namespace recsim
