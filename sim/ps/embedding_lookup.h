#pragma once
// The embedding lookups of the queries offloaded to one GPU, through HPS's GPU cache
// (service.embedding_cache; docs/parameter-server.md), as the GPU device and its background actors
// drive them. Two modes: key level (sim/ps/key_level_lookup.h: every key drawn and looked up) and
// analytic (sim/ps/analytic_lookup.h: Che's approximation, for sweeps).
//
// For a query of n items each table is asked n × (lookups per item) keys, deduplicated. Per table,
// HPS's policy: a hit rate below the threshold makes the query wait for its misses (a synchronous
// fetch); at or above it the misses are answered with the default vector and fetched in the
// background. The caller times each fetch through the lower tiers and the PCIe link and calls
// insert() when it completes. Refresh passes re-read a share of the cache's sets; online updates
// (key mode) mark cached keys stale until a pass re-reads them.
#include "sim/ps/cache_counters.h"
#include "sim/ps/table_fetch.h"
#include "sim/ps/embedding_cache_spec.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace recsim {

class EmbeddingLookup {
 public:
  virtual ~EmbeddingLookup() = default;

  struct Query {
    std::vector<TableFetch> synchronous;  // the query waits for these
    std::vector<TableFetch> background;   // answered with default vectors; fetched in the background
    std::uint64_t unique = 0, hits = 0;   // over all tables (for the hit-rate timeline)
  };
  // Looks up a query of `items` items in every table; counts into counters() when `measured`.
  virtual Query lookup(int items, bool measured) = 0;
  // A fetch whose read began at `read_at` completed: its keys enter the cache.
  virtual void insert(const TableFetch& fetch, double read_at) = 0;
  std::size_t tables() const { return tables_; }
  // The next refresh pass of `table`: the keys of the next share (refresh.share) of its cache's
  // sets, to re-read.
  virtual TableFetch refresh_plan(std::size_t table) = 0;
  // A refresh re-read that began at `read_at` completed at `now`: returns the staleness (seconds) of
  // each update it made visible.
  virtual std::vector<double> refreshed(const TableFetch& fetch, double read_at, double now) = 0;
  // An update of `key` in `table`, published at `published`, was written to the lower tiers at
  // `written` (key mode).
  virtual void updated(std::size_t table, std::uint64_t key, double published, double written) = 0;
  // Over the measured queries.
  const CacheCounters& counters() const { return counters_; }

 protected:
  explicit EmbeddingLookup(std::size_t tables) : tables_(tables) {}
  // One table lookup of a query: `lookups` keys asked, `unique` after deduplication, `hits`, and
  // `f` its misses by tier. Adds them to the query's totals and, when `measured`, to counters()
  // (default answers: every asynchronous miss, and the keys found nowhere); files `f` as a
  // synchronous or background fetch when it has misses.
  void record(Query& q, TableFetch f, std::uint64_t lookups, std::uint64_t unique, std::uint64_t hits, bool synchronous, bool measured);

 private:
  std::size_t tables_;
  CacheCounters counters_;
};

// `gpu_index` selects the key stream (one per GPU); every GPU holds a replica of each table with the
// same popularity.
std::unique_ptr<EmbeddingLookup> make_embedding_lookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index);

}  // namespace recsim
