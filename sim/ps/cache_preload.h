#pragma once
// Preloading a GPU embedding cache with the hottest keys of its table (a static cache, or a warm
// start instead of HPS's empty cache after model load).
#include "sim/ps/embedding_cache.h"
#include "workloads/key_generator.h"

#include <cstdint>

namespace recsim {

// Inserts the keys of popularity ranks 0, 1, ... until the cache holds `capacity()` keys, the table
// is exhausted or `max_rank` ranks were tried (keys beyond it are found in no tier). Once a set's 64
// slots are full, later (colder) keys of that set are skipped, so each set holds its hottest keys
// and the cache ends full. Returns the keys held.
std::uint64_t preload_hottest(EmbeddingCache& cache, const KeyGenerator& keys, std::uint64_t max_rank = ~0ULL);

}  // namespace recsim
