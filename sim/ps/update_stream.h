#pragma once
// The online embedding updates training publishes (service.embedding_cache.updates), as one stream
// that every server's consumer reads. Time is cut into slices of `tick_ms`; the updates of slice k of
// table t — a Poisson count at keys_per_s × tick, keys from the table's popularity, publication times
// uniform in the slice (as a Poisson stream's are, given their count) — come from a random stream of
// their own, (seed, t, k): any reader, at any time, gets the same updates for a slice, and nothing is
// stored. (A key trace is replayed in order instead: readers that read every slice in order, as the
// consumers do, read the same keys.)
#include "sim/ps/table_popularity.h"
#include "sim/ps/embedding_cache_spec.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace recsim {

// The most updates (expected, over all tables) a consumer applies in one batch: a backlog is applied
// in parts of this size, and the scenario parser refuses a slice larger than it.
constexpr double kMaxUpdateBatchKeys = 65536;

// The number of updates published in `slice` of `table` (a Poisson draw of mean keys_per_s × tick,
// the first draw of that slice's stream): the same whoever asks. `table` counts from the model's
// EmbeddingCacheSpec::stream_base.
std::uint64_t update_count(std::uint64_t seed, double mean, std::uint64_t slice, std::size_t table);

class UpdateStream {
 public:
  UpdateStream(const EmbeddingCacheSpec& spec, std::uint64_t seed);
  double slice_seconds() const { return tick_; }
  std::size_t tables() const { return popularity_.size(); }
  // Appends the updates of `slice` of `table` to `out`: (key, publication time).
  void read(std::uint64_t slice, std::size_t table, std::vector<std::pair<std::uint64_t, double>>& out);

 private:
  std::uint64_t seed_;
  std::size_t base_;  // spec.stream_base: the first table's stream
  double rate_, tick_;
  std::vector<TablePopularity> popularity_;
};

}  // namespace recsim
