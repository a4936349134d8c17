#pragma once
// What the GPU embedding cache did for the measured queries: per table lookup of a query, the keys
// asked (duplicates included), unique keys, hits, where the misses were found (volatile tier,
// persistent tier, nowhere), keys answered with the default vector (asynchronous misses and keys
// found nowhere), and the synchronous fetches (table lookups that waited, keys they fetched).
#include <cstdint>

namespace recsim {

struct CacheCounters {
  std::uint64_t lookups = 0, unique = 0, hits = 0, default_answers = 0;
  std::uint64_t batches = 0, synchronous_batches = 0, fetched_keys = 0;
  std::uint64_t volatile_keys = 0, persistent_keys = 0, not_found_keys = 0;
  void add(const CacheCounters& o) {
    lookups += o.lookups;
    unique += o.unique;
    hits += o.hits;
    default_answers += o.default_answers;
    batches += o.batches;
    synchronous_batches += o.synchronous_batches;
    fetched_keys += o.fetched_keys;
    volatile_keys += o.volatile_keys;
    persistent_keys += o.persistent_keys;
    not_found_keys += o.not_found_keys;
  }
};

}  // namespace recsim
