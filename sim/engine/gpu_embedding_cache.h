#pragma once
// HPS's embedding cache on one simulated GPU in a run (service.embedding_cache;
// docs/parameter-server.md): the GPU's upload stage asks it for each offloaded query's embeddings
// and waits for the synchronous fetches; two actors of its own run beside the stages:
//   - the background fetcher: the asynchronous misses, fetched through the lower tiers and over the
//     PCIe link, one table fetch at a time, then inserted (at most kMaxBackground fetches wait; more
//     are dropped and counted, as a bounded insertion queue would);
//   - the refresher (with `refresh`): every interval, re-reads the next share of each table's cache
//     sets from the lower tiers and uploads them again, making the updates of those keys visible.
// A fetch reads the missing keys from the server's lower tiers (sim/engine/lower_tiers.h), then
// moves the vectors found (dim × 4 bytes each) over the GPU's PCIe link, where they share the link
// with the queries' transfers. The GPU cache's own lookup time is not simulated (no GPU measurement
// of it exists in this project; docs/parameter-server.md).
#include "sim/engine/lower_tiers.h"
#include "sim/engine/platform.h"
#include "sim/metrics/busy_meter.h"
#include "sim/metrics/cache_run_stats.h"
#include "sim/metrics/measurement_window.h"
#include "sim/ps/embedding_lookup.h"

#include <simgrid/s4u/Actor.hpp>

#include <deque>
#include <memory>

namespace recsim {

class GpuEmbeddingCache {
 public:
  static constexpr std::size_t kMaxBackground = 1024;

  GpuEmbeddingCache(const EmbeddingCacheSpec& spec, std::unique_ptr<EmbeddingLookup> lookup, const LowerTiers& tiers,
                    const GpuHost& gpu, simgrid::s4u::Host* server, CacheRunStats& stats, const MeasurementWindow& metrics);
  GpuEmbeddingCache(const GpuEmbeddingCache&) = delete;
  GpuEmbeddingCache& operator=(const GpuEmbeddingCache&) = delete;

  // Creates the background actors (daemons: they end with the simulation).
  void start();
  // In the GPU's upload stage: looks up a query of `items` items and waits for its synchronous
  // fetches; queues its asynchronous ones.
  void look_up(int items, bool measured);
  // Where its work is metered (the GPU's, which outlives it): vector uploads on the PCIe
  // host-to-device direction, and the upload stage's waits on the lower tiers. Until called, not metered.
  void measure(BusyMeter& h2d_link, BusyMeter& tier_wait) {
    h2d_link_ = &h2d_link;
    tier_wait_ = &tier_wait;
  }
  EmbeddingLookup& lookup() { return *lookup_; }
  const CacheCounters& counters() const { return lookup_->counters(); }

 private:
  // Lower tiers, then PCIe (blocks the calling actor); `tier_wait` meters the tier reads, when given.
  void fetch(const TableFetch& f, BusyMeter* tier_wait);
  void run_background();
  void run_refresh();

  const EmbeddingCacheSpec& spec_;
  std::unique_ptr<EmbeddingLookup> lookup_;
  const LowerTiers& tiers_;
  GpuHost gpu_;
  simgrid::s4u::Host* server_;
  CacheRunStats& stats_;
  const MeasurementWindow& metrics_;
  std::deque<TableFetch> background_;
  simgrid::s4u::Actor* fetcher_ = nullptr;
  bool fetcher_parked_ = false;
  BusyMeter* h2d_link_ = nullptr;
  BusyMeter* tier_wait_ = nullptr;
};

}  // namespace recsim
