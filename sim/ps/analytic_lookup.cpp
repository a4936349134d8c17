#include "sim/ps/analytic_lookup.h"

#include "sim/ps/embedding_cache.h"

#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>

#include <cmath>
#include <stdexcept>
#include <tuple>

namespace recsim {
namespace {

// Batches up to kExactUpTo keys are estimated at their exact size; beyond, on a geometric grid of
// ratio kGridRatio, interpolated in log(size) (the estimates are smooth in the batch size).
constexpr int kExactUpTo = 128;
constexpr double kGridRatio = 1.05;

double grid_size(std::int64_t k) { return k < 0 ? static_cast<double>(-k) : kExactUpTo * std::pow(kGridRatio, k); }

// One Che model per distinct table in a run: the GPUs share them (T is solved once per table).
std::shared_ptr<const CheModel> shared_model(const RankPopularity& keys, double entries, const std::vector<double>& cutoffs) {
  static std::map<std::tuple<std::uint64_t, double, double, std::vector<double>>, std::shared_ptr<const CheModel>> models;
  auto& m = models[{keys.rows, keys.alpha, entries, cutoffs}];
  if (!m) m = std::make_shared<const CheModel>(keys, entries, cutoffs);
  return m;
}

std::uint64_t draw_binomial(Rng& rng, std::uint64_t n, double p) {
  if (n == 0 || p <= 0.0) return 0;
  if (p >= 1.0) return n;
  boost::random::binomial_distribution<std::int64_t, double> d(static_cast<std::int64_t>(n), p);
  return static_cast<std::uint64_t>(d(rng));
}

}  // namespace

AnalyticLookup::AnalyticLookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index)
    : EmbeddingLookup(spec.tables.size()), threshold_(spec.hit_rate_threshold),
      rng_(spec.stream_base ? make_stream(seed, StreamId::keys, gpu_index, spec.stream_base) : make_stream(seed, StreamId::keys, gpu_index)) {
  for (const auto& t : spec.tables) {
    const auto rows = static_cast<std::uint64_t>(t.rows);
    const double n = static_cast<double>(rows);
    const double v = std::min(n, std::ceil(spec.volatile_fraction * n));
    const double p = std::max(v, spec.persistent ? std::min(n, std::ceil(spec.persistent->fraction * n)) : v);
    const std::uint64_t capacity = EmbeddingCache::slots_for(rows, spec.fraction);
    Table table;
    table.model = shared_model({rows, spec.zipf_alpha}, static_cast<double>(capacity), {v, p});
    table.dim = t.dim;
    table.lookups = t.lookups;
    const std::uint64_t sets = capacity / EmbeddingCache::kSlotsPerSet;
    const double share = spec.refresh ? spec.refresh->share : 1.0;
    const auto pass_sets = static_cast<std::uint64_t>(std::ceil(share * static_cast<double>(sets)));
    table.refresh_keys = std::min(rows, pass_sets * EmbeddingCache::kSlotsPerSet);
    tables_.push_back(std::move(table));
  }
}

const CheModel::Batch& AnalyticLookup::at_grid(Table& t, std::int64_t k) {
  auto it = t.grid.find(k);
  if (it == t.grid.end()) it = t.grid.emplace(k, t.model->batch(grid_size(k))).first;
  return it->second;
}

CheModel::Batch AnalyticLookup::estimate(std::size_t table, std::int64_t keys) {
  Table& t = tables_[table];
  if (keys <= kExactUpTo) return at_grid(t, -keys);
  const double x = std::log(keys / static_cast<double>(kExactUpTo)) / std::log(kGridRatio);
  const auto k = static_cast<std::int64_t>(std::floor(x));
  const CheModel::Batch& a = at_grid(t, k);
  const CheModel::Batch& b = at_grid(t, k + 1);
  const double w = x - static_cast<double>(k);
  CheModel::Batch r;
  r.unique = (1 - w) * a.unique + w * b.unique;
  r.hit_rate = (1 - w) * a.hit_rate + w * b.hit_rate;
  for (std::size_t i = 0; i < a.miss_share.size(); ++i) r.miss_share.push_back((1 - w) * a.miss_share[i] + w * b.miss_share[i]);
  return r;
}

EmbeddingLookup::Query AnalyticLookup::lookup(int items, bool measured) {
  Query q;
  for (std::size_t i = 0; i < tables_.size(); ++i) {
    const Table& t = tables_[i];
    const std::int64_t keys = static_cast<std::int64_t>(items) * t.lookups;
    const CheModel::Batch e = estimate(i, keys);
    // An integer number of unique keys with the expected mean.
    auto unique = static_cast<std::uint64_t>(std::floor(e.unique));
    if (boost::random::bernoulli_distribution<double>(e.unique - std::floor(e.unique))(rng_)) ++unique;
    unique = std::max<std::uint64_t>(1, unique);
    const std::uint64_t hits = draw_binomial(rng_, unique, e.hit_rate);
    const std::uint64_t misses = unique - hits;
    TableFetch f;
    f.table = i;
    f.dim = t.dim;
    f.tiers.volatile_keys = draw_binomial(rng_, misses, e.miss_share[0]);
    const double rest = 1.0 - e.miss_share[0];
    f.tiers.persistent_keys = rest > 0.0 ? draw_binomial(rng_, misses - f.tiers.volatile_keys, e.miss_share[1] / rest) : 0;
    f.tiers.not_found = misses - f.tiers.volatile_keys - f.tiers.persistent_keys;
    const bool synchronous = misses > 0 && static_cast<double>(hits) / static_cast<double>(unique) < threshold_;
    record(q, std::move(f), static_cast<std::uint64_t>(keys), unique, hits, synchronous, measured);
  }
  return q;
}

TableFetch AnalyticLookup::refresh_plan(std::size_t table) {
  const Table& t = tables_[table];
  const auto& share = t.model->cached_share();
  TableFetch f;
  f.table = table;
  f.dim = t.dim;
  const double n = static_cast<double>(t.refresh_keys);
  f.tiers.volatile_keys = static_cast<std::uint64_t>(std::llround(n * share[0]));
  f.tiers.persistent_keys = std::min(t.refresh_keys - f.tiers.volatile_keys, static_cast<std::uint64_t>(std::llround(n * share[1])));
  // Che counts keys found nowhere as cacheable: re-reading them finds nothing.
  f.tiers.not_found = t.refresh_keys - f.tiers.volatile_keys - f.tiers.persistent_keys;
  return f;
}

void AnalyticLookup::updated(std::size_t, std::uint64_t, double, double) {
  throw std::logic_error("online updates need the key-level mode");
}

}  // namespace recsim
