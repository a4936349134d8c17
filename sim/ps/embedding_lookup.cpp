#include "sim/ps/embedding_lookup.h"

#include "sim/ps/analytic_lookup.h"
#include "sim/ps/key_level_lookup.h"

namespace recsim {

std::unique_ptr<EmbeddingLookup> make_embedding_lookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index) {
  if (spec.mode == EmbeddingCacheSpec::Mode::analytic) return std::make_unique<AnalyticLookup>(spec, seed, gpu_index);
  return std::make_unique<KeyLevelLookup>(spec, seed, gpu_index);
}

}  // namespace recsim
