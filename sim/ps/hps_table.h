#pragma once
// One embedding table as HugeCTR's HPS serves it from one GPU (../shared/reference/hps.md), at key
// level and in virtual time, without SimGrid: the GPU cache (sim/ps/embedding_cache.h), HPS's
// insertion policy, and the bookkeeping of online updates.
//
// Insertion, per batch: with the batch's hit rate (1 − missing / unique keys) at or above
// `hit_rate_threshold`, the lookup is asynchronous: the missing keys are answered with the table's
// default vector now (an accuracy cost, counted) and fetched from the lower tiers in the background;
// below it, synchronous: the batch waits while its missing keys are fetched. Either way the caller
// times the fetch and calls insert() when it completes. A threshold above 1 never goes asynchronous.
//
// Online updates reach the lower tiers (update()) and the GPU cache only through refresh passes,
// each re-reading a share of the cache's sets, in rotation, as HPS's periodic refresh does. A cached
// key updated after its copy was loaded is stale until a pass re-reads its set; the staleness of an
// update is the time from its arrival to that pass. Memory: only cached keys with a pending update
// are remembered (at most the cache's capacity plus the keys evicted since the last pass).
#include "sim/ps/embedding_cache.h"
#include "workloads/key_generator.h"

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

namespace recsim {

struct HpsTableOptions {
  std::uint64_t rows = 1;
  double cache_fraction = 0.1;
  double hit_rate_threshold = 0.9;
  double refresh_share = 0.2;  // of the sets, per refresh pass, in (0, 1]
};

class HpsTable {
 public:
  explicit HpsTable(const HpsTableOptions& options);

  struct Lookup {
    EmbeddingCache::BatchLookup cache;
    bool synchronous = false;              // the batch waits for `fetch`
    std::uint64_t default_answers = 0;     // keys answered with the default vector (asynchronous misses)
    std::vector<std::uint64_t> fetch;      // unique missing keys, to fetch from the lower tiers
  };
  Lookup lookup(std::span<const std::uint64_t> keys);
  // The fetched keys arrive in the cache (current as of now: any update before now is in them).
  void insert(std::span<const std::uint64_t> keys);

  // An update of `key` reached the lower tiers at `now`.
  void update(std::uint64_t key, double now);
  // A refresh pass at `now`: re-reads the next share of sets; returns the staleness (seconds) of each
  // update it makes visible. In two steps when the re-read takes time: refresh_keys() lists the keys
  // of the next share of sets (and moves the rotation on), refreshed() makes their updates visible.
  std::vector<double> refresh(double now);
  void refresh_keys(std::vector<std::uint64_t>& out);
  std::vector<double> refreshed(std::span<const std::uint64_t> keys, double now);
  // Fills the cache with the table's hottest keys (sim/ps/cache_preload.h).
  void preload(const KeyGenerator& keys);

  const EmbeddingCache& cache() const { return cache_; }
  std::uint64_t stale_keys() const { return pending_.size(); }
  // Totals over all lookups.
  std::uint64_t lookups() const { return lookups_; }
  std::uint64_t unique() const { return unique_; }
  std::uint64_t hits() const { return hits_; }
  std::uint64_t default_answers() const { return default_answers_; }
  std::uint64_t synchronous_batches() const { return synchronous_; }
  std::uint64_t batches() const { return batches_; }

 private:
  HpsTableOptions options_;
  EmbeddingCache cache_;
  std::unordered_map<std::uint64_t, double> pending_;  // cached key -> its oldest update not yet visible
  std::uint64_t next_set_ = 0;
  std::uint64_t lookups_ = 0, unique_ = 0, hits_ = 0, default_answers_ = 0, synchronous_ = 0, batches_ = 0;
};

}  // namespace recsim
