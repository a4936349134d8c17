#pragma once
// The embedding lookups of queries offloaded to one GPU, through HPS's GPU cache
// (service.embedding_cache): one HpsTable per embedding table of the model, keys drawn per table
// (uniform or Zipf over the table's rows, hot rows scattered by a per-table permutation).
//
// For a query of n items, each table is asked n × lookups keys, deduplicated; a table whose hit rate
// is below the threshold fetches its misses synchronously (the query waits: the volatile tier's
// lookup time for that many keys, then their vectors over the GPU's PCIe link, which the GPU device
// simulates); above it, the misses are answered with the default vector and fetched in the
// background. Fetched keys enter the cache at once (the GPU's upload stage serves one query at a
// time, so no later query of this GPU can look them up before the fetch ends); the background
// fetch's own time and link use are not simulated.
#include "sim/ps/cache_counters.h"
#include "sim/ps/hps_table.h"
#include "sim/scenario/scenario.h"
#include "workloads/key_generator.h"
#include "workloads/random_stream.h"

#include <memory>
#include <vector>

namespace recsim {

class GpuEmbeddingLookup {
 public:
  // `gpu_index` selects the key stream (one per GPU); the tables' popularity (their permutations)
  // is the same on every GPU, which holds a replica of each table.
  GpuEmbeddingLookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index);

  struct Fetch {
    int dim;
    std::uint64_t keys;
  };
  // Looks up a query of `items` items in every table; returns the synchronous fetches it must wait
  // for, in table order. Counts into counters() when `measured`.
  const std::vector<Fetch>& lookup(int items, bool measured);
  const CacheCounters& counters() const { return counters_; }

 private:
  struct Table {
    std::unique_ptr<KeyGenerator> keys;
    std::unique_ptr<HpsTable> table;
    int dim;
    int lookups;
  };
  std::vector<Table> tables_;
  Rng rng_;
  std::vector<std::uint64_t> batch_;
  std::vector<Fetch> fetches_;
  CacheCounters counters_;
};

}  // namespace recsim
