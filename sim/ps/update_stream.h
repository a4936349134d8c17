#pragma once
// The online embedding updates training publishes (service.embedding_cache.updates), as one stream
// that every server's consumer reads. Time is cut into slices of `tick_ms`; the updates of slice k of
// table t — a Poisson count at keys_per_s × tick, keys from the table's popularity, publication times
// uniform in the slice (as a Poisson stream's are, given their count) — come from a random stream of
// their own, (seed, t, k): any reader, at any time, gets the same updates for a slice, and nothing is
// stored. (A key trace is replayed in order instead: readers that read every slice in order, as the
// consumers do, read the same keys.)
#include "sim/ps/table_popularity.h"
#include "sim/scenario/scenario.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace recsim {

class UpdateStream {
 public:
  UpdateStream(const EmbeddingCacheSpec& spec, std::uint64_t seed);
  double slice_seconds() const { return tick_; }
  std::size_t tables() const { return popularity_.size(); }
  // The number of updates published in `slice` of `table`.
  std::uint64_t count(std::uint64_t slice, std::size_t table) const;
  // Appends the updates of `slice` of `table` to `out`: (key, publication time).
  void read(std::uint64_t slice, std::size_t table, std::vector<std::pair<std::uint64_t, double>>& out);

 private:
  std::uint64_t seed_;
  double rate_, tick_;
  std::vector<TablePopularity> popularity_;
};

}  // namespace recsim
