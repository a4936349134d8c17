#include "kernels/model/model_weights.h"

#include "kernels/model/model_family.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {
namespace {

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

}  // namespace

int top_input_width(const ModelSpec& m) { return m.family->top_input_width(m); }

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
  WeightRng rng(seed);
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
  spec.family->make_weights(spec, top_in, rng, w);
  return w;
}

}  // namespace recsim
