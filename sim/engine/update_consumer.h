#pragma once
// HPS's Kafka consumer of online updates on one inference node (service.embedding_cache.updates): one
// per server with GPUs, reading the one stream training publishes (sim/ps/update_stream.h; counted by
// sim/engine/update_publisher.h).
// Every tick the consumer takes the slices of the stream published since its last batch, writes
// them to the server's volatile and persistent tiers (the tier profile's write times, the Redis link
// and the SSD: sim/engine/lower_tiers.h), and only then marks the keys updated for the server's
// GPUs, whose caches see them at the next refresh of the key's set. Staleness runs from publication
// to that refresh.
//
// While the consumer is down (an outage), the stream keeps the updates; when it returns it applies
// the backlog, and writes again the batch it applied last before going down (its offsets were not
// committed: at-least-once delivery), counted as redelivered. Redelivered writes change nothing on
// the GPUs (the update was already pending or visible). A batch is at most kMaxUpdateBatchKeys
// expected keys' worth of slices (the parser refuses larger slices), so memory stays bounded after a
// long outage.
#include "sim/engine/lower_tiers.h"
#include "sim/metrics/cache_run_stats.h"
#include "sim/metrics/measurement_window.h"
#include "sim/ps/embedding_lookup.h"
#include "sim/ps/update_stream.h"

#include <utility>
#include <vector>

namespace recsim {

class UpdateConsumer {
 public:
  // `gpus`: the embedding lookups of the server's GPUs.
  UpdateConsumer(const EmbeddingCacheSpec& spec, const ServerHost& server, const LowerTiers& tiers,
                 std::vector<EmbeddingLookup*> gpus, CacheRunStats& stats, const MeasurementWindow& metrics, std::uint64_t seed);
  // Creates the consumer's actor (a daemon: it ends with the simulation).
  void start();

 private:
  void run();
  // Applies slices [first, end); with `redeliver`, writes the previous batch again too.
  void apply(std::uint64_t first, std::uint64_t end, bool redeliver);

  const EmbeddingCacheSpec& spec_;
  const ServerHost& server_;
  const LowerTiers& tiers_;
  std::vector<EmbeddingLookup*> gpus_;
  CacheRunStats& stats_;
  const MeasurementWindow& metrics_;
  UpdateStream stream_;
  std::vector<UpdateOutage> outages_;  // this server's, by start
  std::vector<std::vector<std::pair<std::uint64_t, double>>> last_;  // per table: the last batch (key, published)
};

}  // namespace recsim
