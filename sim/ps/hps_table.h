#pragma once
// One embedding table as HugeCTR's HPS serves it from one GPU (docs/references.md, HPS), at key
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
// key updated after its copy was loaded is stale until a pass re-reads its set after the update was
// written; each time a read makes a key's updates visible, its staleness is counted once, from the
// oldest of them. Memory: only cached keys with pending updates are remembered (pruned of evicted
// keys whenever they outnumber twice the capacity), one entry per write not yet visible.
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
  // The fetched keys arrive in the cache, as read from the lower tiers at `read_at`: every update
  // written before then is in them.
  void insert(std::span<const std::uint64_t> keys, double read_at);
  void insert(std::span<const std::uint64_t> keys) { insert(keys, 1e300); }

  // An update of `key`, published at `published`, was written to the lower tiers at `written`.
  void update(std::uint64_t key, double published, double written);
  void update(std::uint64_t key, double now) { update(key, now, now); }
  // A refresh pass at `now`: re-reads the next share of sets; returns the staleness (seconds) of each
  // update it makes visible. In two steps when the re-read takes time: refresh_keys() lists the keys
  // of the next share of sets (and moves the rotation on); refreshed() makes visible the updates
  // written before the re-read began (`read_at`), at `now`.
  std::vector<double> refresh(double now);
  void refresh_keys(std::vector<std::uint64_t>& out);
  std::vector<double> refreshed(std::span<const std::uint64_t> keys, double read_at, double now);
  // Fills the cache with the table's hottest keys, at most `max_rank` of them (sim/ps/cache_preload.h).
  void preload(const KeyGenerator& keys, std::uint64_t max_rank);

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
  struct Pending {
    double published;  // the oldest publication among the updates of one write
    double written;    // that write to the lower tiers
  };
  // Cached keys with updates not yet visible: per key, one entry per write, in write order.
  std::unordered_map<std::uint64_t, std::vector<Pending>> pending_;
  void prune();
  // Drops the updates of `it` written at or before `read_at`; returns the oldest publication among
  // them, or a negative value if there were none.
  double take_read(std::unordered_map<std::uint64_t, std::vector<Pending>>::iterator it, double read_at);
  std::uint64_t next_set_ = 0;
  std::uint64_t lookups_ = 0, unique_ = 0, hits_ = 0, default_answers_ = 0, synchronous_ = 0, batches_ = 0;
};

}  // namespace recsim
