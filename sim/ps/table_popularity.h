#pragma once
// The popularity of each embedding table in a run (service.embedding_cache.keys: Zipf, uniform, or
// a key trace every table replays from its start, its empirical distribution giving the ranks) and
// which tier of the parameter server holds each key. Every GPU and every server's update stream sees the same
// popularity for a table (its permutation is seeded by the table, not by the GPU).
//
// The lower tiers hold rank prefixes: the volatile tier the hottest `volatile_fraction` of the rows
// (its steady state under HPS's evict_least_used overflow policy; all of them by default, as HPS
// loads a model whose tables fit in host memory), the persistent tier the hottest
// `persistent.fraction` (the rows ever trained); a key beyond both is found nowhere and answered
// with the table's default vector.
#include "sim/ps/table_fetch.h"
#include "sim/ps/embedding_cache_spec.h"
#include "workloads/key_generator.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace recsim {

struct TablePopularity {
  std::unique_ptr<KeyGenerator> keys;
  std::uint64_t volatile_ranks = 0;    // ranks [0, volatile_ranks) are in the volatile tier
  std::uint64_t persistent_ranks = 0;  // ranks [volatile_ranks, persistent_ranks) only in the persistent one
  bool everything_volatile() const { return volatile_ranks >= keys->rows(); }
  // Adds `key` to the count of the tier that holds it.
  void count(std::uint64_t key, TierCounts& c) const;
};

std::vector<TablePopularity> table_popularities(const EmbeddingCacheSpec& spec, std::uint64_t seed);

}  // namespace recsim
