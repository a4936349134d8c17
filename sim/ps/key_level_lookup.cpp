#include "sim/ps/key_level_lookup.h"

#include <stdexcept>
#include <string>

namespace recsim {

KeyLevelLookup::KeyLevelLookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index)
    : EmbeddingLookup(spec.tables.size()),
      popularity_(table_popularities(spec, seed)),
      rng_(spec.stream_base ? make_stream(seed, StreamId::keys, gpu_index, spec.stream_base) : make_stream(seed, StreamId::keys, gpu_index)) {
  const double share = spec.refresh ? spec.refresh->share : 1.0;
  for (std::size_t i = 0; i < spec.tables.size(); ++i) {
    const auto& t = spec.tables[i];
    Table table;
    table.table = std::make_unique<HpsTable>(
        HpsTableOptions{static_cast<std::uint64_t>(t.rows), spec.fraction, spec.hit_rate_threshold, share});
    if (spec.preload) table.table->preload(*popularity_[i].keys, popularity_[i].persistent_ranks);
    table.dim = t.dim;
    table.lookups = t.lookups;
    tables_.push_back(std::move(table));
  }
}

EmbeddingLookup::Query KeyLevelLookup::lookup(int items, bool measured) {
  Query q;
  for (std::size_t i = 0; i < tables_.size(); ++i) {
    Table& t = tables_[i];
    const TablePopularity& popularity = popularity_[i];
    const std::uint64_t asked = static_cast<std::uint64_t>(items) * static_cast<std::uint64_t>(t.lookups);
    if (asked > kMaxKeysPerTableLookup)
      throw std::length_error("a query of " + std::to_string(items) + " items asks " + std::to_string(asked) +
                              " keys of one table, more than the key-level mode draws (2^28): use \"mode\": \"analytic\"");
    batch_.resize(static_cast<std::size_t>(asked));
    for (auto& k : batch_) k = popularity.keys->next(rng_);
    HpsTable::Lookup r = t.table->lookup(batch_);
    TableFetch f;
    f.table = i;
    f.dim = t.dim;
    if (popularity.everything_volatile()) {
      f.tiers.volatile_keys = r.fetch.size();
      f.keys = std::move(r.fetch);
    } else {
      for (const auto k : r.fetch) {
        const auto not_found = f.tiers.not_found;
        popularity.count(k, f.tiers);
        if (f.tiers.not_found == not_found) f.keys.push_back(k);  // keys found nowhere are not cached
      }
    }
    record(q, std::move(f), r.cache.lookups, r.cache.unique, r.cache.hits, r.synchronous, measured);
  }
  return q;
}

void KeyLevelLookup::insert(const TableFetch& fetch, double read_at) { tables_[fetch.table].table->insert(fetch.keys, read_at); }

TableFetch KeyLevelLookup::refresh_plan(std::size_t table) {
  TableFetch f;
  f.table = table;
  f.dim = tables_[table].dim;
  tables_[table].table->refresh_keys(f.keys);
  for (const auto k : f.keys) popularity_[table].count(k, f.tiers);
  return f;
}

std::vector<double> KeyLevelLookup::refreshed(const TableFetch& fetch, double read_at, double now) {
  return tables_[fetch.table].table->refreshed(fetch.keys, read_at, now);
}

void KeyLevelLookup::updated(std::size_t table, std::uint64_t key, double published, double written) {
  tables_[table].table->update(key, published, written);
}

}  // namespace recsim
