#pragma once
// The online-update consumer of one server (service.embedding_cache.updates): HPS's Kafka consumer on
// an inference node. Training publishes updates of each table as a Poisson stream (keys_per_s per
// table, keys drawn from the table's popularity). Every tick the consumer takes what was published
// since its last batch, writes it to the server's volatile and persistent tiers (the tier profile's
// write times, the Redis link and the SSD: sim/engine/lower_tiers.h), and only then marks the keys
// updated for the server's GPUs, whose caches see them at their next refresh of the key's set.
// Staleness runs from publication to that refresh.
//
// While the consumer is down (an outage), updates accumulate in the stream; when it returns it
// applies the backlog, and delivers again the batch it applied last before going down (its offsets
// were not committed: at-least-once delivery), counted as redelivered. A batch of more than
// kMaxBatchKeys expected keys is applied in parts, so memory stays bounded after a long outage.
#include "sim/engine/lower_tiers.h"
#include "sim/metrics/cache_run_stats.h"
#include "sim/metrics/run_metrics.h"
#include "sim/ps/embedding_lookup.h"
#include "sim/ps/table_popularity.h"
#include "workloads/random_stream.h"

#include <utility>
#include <vector>

namespace recsim {

class UpdateConsumer {
 public:
  static constexpr double kMaxBatchKeys = 65536;

  // `gpus`: the embedding lookups of the server's GPUs.
  UpdateConsumer(const EmbeddingCacheSpec& spec, const ServerHost& server, const LowerTiers& tiers,
                 std::vector<EmbeddingLookup*> gpus, CacheRunStats& stats, const RunMetrics& metrics, std::uint64_t seed,
                 std::uint32_t server_index);
  // Creates the consumer's actor (a daemon: it ends with the simulation).
  void start();

 private:
  void run();
  // Applies the updates published in (from, to]; with `redeliver`, the previous batch again too.
  void apply(double from, double to, bool redeliver);

  const EmbeddingCacheSpec& spec_;
  const ServerHost& server_;
  const LowerTiers& tiers_;
  std::vector<EmbeddingLookup*> gpus_;
  CacheRunStats& stats_;
  const RunMetrics& metrics_;
  std::vector<TablePopularity> popularity_;
  std::vector<UpdateOutage> outages_;  // this server's, by start
  Rng rng_;
  std::vector<std::vector<std::pair<std::uint64_t, double>>> last_;  // per table: the last batch (key, published)
};

}  // namespace recsim
