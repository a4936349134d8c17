#include "sim/ps/gpu_embedding_lookup.h"

namespace recsim {

GpuEmbeddingLookup::GpuEmbeddingLookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index)
    : rng_(make_stream(seed, StreamId::keys, gpu_index)) {
  std::uint64_t table_seed = seed * 1'000'003ULL;
  for (const auto& t : spec.tables) {
    Table table;
    const auto rows = static_cast<std::uint64_t>(t.rows);
    // Every GPU holds a replica of each table with the same popularity: the permutation depends on
    // the table, not on the GPU.
    table.keys = spec.zipf_alpha > 0.0 ? make_zipf_keys(rows, spec.zipf_alpha, ++table_seed) : make_uniform_keys(rows);
    table.table = std::make_unique<HpsTable>(HpsTableOptions{rows, spec.fraction, spec.hit_rate_threshold, 1.0});
    table.dim = t.dim;
    table.lookups = t.lookups;
    tables_.push_back(std::move(table));
  }
}

const std::vector<GpuEmbeddingLookup::Fetch>& GpuEmbeddingLookup::lookup(int items, bool measured) {
  fetches_.clear();
  for (auto& t : tables_) {
    batch_.resize(static_cast<std::size_t>(items) * static_cast<std::size_t>(t.lookups));
    for (auto& k : batch_) k = t.keys->next(rng_);
    const HpsTable::Lookup r = t.table->lookup(batch_);
    if (!r.fetch.empty()) t.table->insert(r.fetch);
    if (r.synchronous) fetches_.push_back({t.dim, r.fetch.size()});
    if (!measured) continue;
    counters_.lookups += r.cache.lookups;
    counters_.unique += r.cache.unique;
    counters_.hits += r.cache.hits;
    counters_.default_answers += r.default_answers;
    counters_.batches += 1;
    counters_.synchronous_batches += r.synchronous ? 1 : 0;
    counters_.fetched_keys += r.synchronous ? r.fetch.size() : 0;
  }
  return fetches_;
}

}  // namespace recsim
