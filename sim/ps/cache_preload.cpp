#include "sim/ps/cache_preload.h"

#include <array>
#include <vector>

namespace recsim {

std::uint64_t preload_hottest(EmbeddingCache& cache, const KeyGenerator& keys, std::uint64_t max_rank) {
  std::array<std::uint64_t, 1> one{};
  // One key at a time in decreasing popularity; inserting into a full set would evict its hottest
  // (oldest) key, so a full set's later keys are skipped instead.
  std::uint64_t full_sets = 0;
  std::vector<bool> full(cache.sets(), false);
  std::vector<std::uint16_t> used(cache.sets(), 0);
  for (std::uint64_t rank = 0; rank < keys.rows() && rank < max_rank && cache.size() < cache.capacity() && full_sets < cache.sets(); ++rank) {
    one[0] = keys.key_of_rank(rank);
    const std::uint64_t set = cache.set_of(one[0]);
    if (full[set]) continue;
    cache.replace(one);
    if (++used[set] == EmbeddingCache::kSlotsPerSet) {
      full[set] = true;
      ++full_sets;
    }
  }
  return cache.size();
}

}  // namespace recsim
