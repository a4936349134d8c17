#include "sim/ps/embedding_lookup.h"

#include "sim/ps/analytic_lookup.h"
#include "sim/ps/key_level_lookup.h"

namespace recsim {

void EmbeddingLookup::record(Query& q, TableFetch f, std::uint64_t lookups, std::uint64_t unique, std::uint64_t hits,
                             bool synchronous, bool measured) {
  q.unique += unique;
  q.hits += hits;
  if (measured) {
    CacheCounters& c = counters_;
    c.lookups += lookups;
    c.unique += unique;
    c.hits += hits;
    c.batches += 1;
    c.volatile_keys += f.tiers.volatile_keys;
    c.persistent_keys += f.tiers.persistent_keys;
    c.not_found_keys += f.tiers.not_found;
    c.synchronous_batches += synchronous ? 1 : 0;
    c.fetched_keys += synchronous ? f.tiers.found() : 0;
    c.default_answers += synchronous ? f.tiers.not_found : f.tiers.total();
  }
  if (f.tiers.total() == 0) return;
  (synchronous ? q.synchronous : q.background).push_back(std::move(f));
}

std::unique_ptr<EmbeddingLookup> make_embedding_lookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index) {
  if (spec.mode == EmbeddingCacheSpec::Mode::analytic) return std::make_unique<AnalyticLookup>(spec, seed, gpu_index);
  return std::make_unique<KeyLevelLookup>(spec, seed, gpu_index);
}

}  // namespace recsim
