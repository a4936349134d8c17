#pragma once
// Tier calibration: times batched lookups of embedding vectors in the parameter server's real
// lower-tier components (kernels/tiers/): abseil's flat_hash_map in process memory, RocksDB on the
// local disk, and a redis-server started on loopback for the purpose and stopped afterwards. For
// each tier, vector dimension and batch size: the median (with p10 and p90) wall time of one
// batched lookup of distinct keys drawn uniformly from the stored rows, and of one batched write
// (overwrite) of as many keys: the cost of applying online updates to the tier.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace recsim {

struct TierCalibrationOptions {
  std::vector<std::string> tiers = {"host_hash_map", "rocksdb", "redis"};
  std::vector<int> dims = {32, 64, 128};
  std::vector<int> batches = {1, 16, 256, 4096};  // keys per lookup
  std::uint64_t rows = 1u << 18;                  // vectors stored per dimension
  int repeats = 15;                               // at least this many timed lookups per point
  double min_seconds = 0.05;                      // and at least this much timed work
  std::string directory;                          // required: RocksDB's files go in its subdirectory "rocksdb" (removed afterwards)
  std::string redis_server = "redis-server";
};

// The "tiers" object of a tier profile (docs/calibration.md).
nlohmann::ordered_json calibrate_tiers(const TierCalibrationOptions& options,
                                       const std::function<void(const std::string&)>& progress);

}  // namespace recsim
