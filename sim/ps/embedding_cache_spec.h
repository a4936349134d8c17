#pragma once
// HugeCTR HPS's hierarchy for offloaded queries, as a scenario configures it (service.embedding_cache
// in docs/parameter-server.md): a GPU cache per table per GPU over a volatile tier over an optional
// persistent tier, with the tier profile's curves read by the parser.
#include "kernels/profiles/latency_curve.h"
#include "workloads/key_trace.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct EmbeddingTableSpec {
  std::int64_t rows = 1;
  int dim = 1;
  int lookups = 1;  // per item
};

// The Redis deployment of a remote volatile tier: `nodes` single-threaded Redis nodes (a cluster,
// keys hashed over them) on one host behind one network link.
struct RedisSpec {
  int nodes = 1;
  double bytes_per_s = 0.0;
  double latency_s = 0.0;
};

// RocksDB on each server's SSD (a SimGrid disk).
struct PersistentTierSpec {
  double fraction = 1.0;  // of each table's rows it holds (the rest were never trained: default vector)
  double read_bytes_per_s = 0.0, write_bytes_per_s = 0.0;
  std::uint64_t block_bytes = 4096;  // read from the disk per key found there
};

struct CacheRefreshSpec {
  double interval_s = 0.0;
  double share = 0.2;  // of the cache's sets, per pass
};

// While `server`'s update consumer is down, updates accumulate; it applies them when it returns.
struct UpdateOutage {
  std::string server;
  double from_s = 0.0, until_s = 0.0;
};

struct UpdateStreamSpec {
  double keys_per_s = 0.0;  // per table
  double tick_s = 0.01;     // the consumer polls for published updates this often
  std::vector<UpdateOutage> outages;
};

struct EmbeddingCacheSpec {
  enum class Mode { keys, analytic } mode = Mode::keys;
  double fraction = 0.1;  // of each table's rows (format 2: from gpu_memory_share and the kind's memory)
  // Format 2: the model's share of each GPU's embedding-cache memory (server_kinds.N.embedding_cache_gib);
  // 0 in format 1, where `fraction` is given.
  double gpu_memory_share = 0.0;
  // Format 2: what separates the model's random streams from the other models' (its index x 1024):
  // its key streams' part and its update streams' table offset. 0: the one model of format 1.
  std::uint32_t stream_base = 0;
  double hit_rate_threshold = 0.9;
  double zipf_alpha = 0.0;  // 0: uniform keys (unless key_trace_file)
  std::string key_trace_file;  // keys replayed from a file by every table (workloads/key_trace.h)
  std::shared_ptr<const KeyTraceData> key_trace;  // that file, read once by the parser
  bool preload = false;     // start with each table's hottest keys instead of empty
  std::string tier_profile_file;
  std::string volatile_tier = "host_hash_map";  // or "redis"
  double volatile_fraction = 1.0;               // of each table's rows, the hottest
  std::optional<RedisSpec> redis;               // volatile_tier "redis"
  std::optional<PersistentTierSpec> persistent;
  std::optional<CacheRefreshSpec> refresh;
  std::optional<UpdateStreamSpec> updates;
  double timeline_bin_s = 0.01;  // the hit-rate timeline's first bin width (doubles as the run grows)
  std::vector<EmbeddingTableSpec> tables;  // the model's, one per table
  // dim -> time against keys, from the tier profile
  std::map<int, LatencyCurve> fetch_curves;             // the volatile tier's lookups
  std::map<int, LatencyCurve> volatile_write_curves;    // with updates
  std::map<int, LatencyCurve> persistent_fetch_curves;  // with a persistent tier
  std::map<int, LatencyCurve> persistent_write_curves;  // with a persistent tier and updates
};

}  // namespace recsim
