#include "kernels/calibration/tier_calibrator.h"

#include "kernels/calibration/sample_quantile.h"

#include "kernels/tiers/hash_map_store.h"
#include "kernels/tiers/redis_server_process.h"
#include "kernels/tiers/redis_store.h"
#include "kernels/tiers/rocksdb_store.h"
#include "workloads/random_stream.h"

#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <unordered_set>

namespace recsim {
namespace {

// `n` distinct keys in [0, rows), uniform (a batch is deduplicated before it reaches a tier).
std::vector<std::uint64_t> distinct_keys(Rng& rng, std::uint64_t rows, int n) {
  boost::random::uniform_int_distribution<std::uint64_t> key(0, rows - 1);
  std::unordered_set<std::uint64_t> seen;
  std::vector<std::uint64_t> keys;
  while (static_cast<int>(keys.size()) < n)
    if (const auto k = key(rng); seen.insert(k).second) keys.push_back(k);
  return keys;
}

// Times one operation of the store (a batched lookup, or a batched write of the vectors the keys
// already hold, so later lookups stay checkable) at each batch size.
nlohmann::ordered_json time_store(EmbeddingStore& store, const TierCalibrationOptions& o, int dim, Rng& rng, bool writes) {
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  std::vector<float> buffer;
  std::vector<float> expect(static_cast<std::size_t>(dim));
  for (const int batch : o.batches) {
    buffer.assign(static_cast<std::size_t>(batch) * static_cast<std::size_t>(dim), 0.0f);
    std::vector<double> samples;
    double spent = 0.0;
    for (int run = 0; run < 3 + o.repeats || spent < o.min_seconds; ++run) {
      const auto keys = distinct_keys(rng, o.rows, batch);
      if (writes)
        for (std::size_t i = 0; i < keys.size(); ++i) vector_of(keys[i], dim, buffer.data() + i * static_cast<std::size_t>(dim));
      const auto t0 = std::chrono::steady_clock::now();
      if (writes)
        store.write(keys, buffer.data());
      else
        store.lookup(keys, buffer.data());
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (run == 0 && !writes) {  // the vectors are the ones stored
        vector_of(keys.back(), dim, expect.data());
        if (!std::equal(expect.begin(), expect.end(), buffer.end() - dim))
          throw std::runtime_error(store.description() + ": a lookup returned the wrong vector");
      }
      if (run < 3) continue;  // warm-up
      samples.push_back(s * 1e3);
      spent += s;
      if (samples.size() > 1'000'000) break;
    }
    std::sort(samples.begin(), samples.end());
    points.push_back({{"keys", batch},
                      {"median_ms", sample_quantile(samples, 0.5)},
                      {"p10_ms", sample_quantile(samples, 0.1)},
                      {"p90_ms", sample_quantile(samples, 0.9)},
                      {"samples", samples.size()}});
  }
  return points;
}

}  // namespace

nlohmann::ordered_json calibrate_tiers(const TierCalibrationOptions& o,
                                       const std::function<void(const std::string&)>& progress) {
  if (o.directory.empty()) throw std::invalid_argument("the tier calibration needs a directory for RocksDB's files");
  if (o.rows < static_cast<std::uint64_t>(*std::max_element(o.batches.begin(), o.batches.end())))
    throw std::invalid_argument("the tiers must store at least as many rows as the largest batch");
  nlohmann::ordered_json tiers = nlohmann::ordered_json::object();
  Rng rng = make_stream(1, StreamId::keys);
  for (const auto& tier : o.tiers) {
    std::unique_ptr<RedisServerProcess> server;
    std::unique_ptr<EmbeddingStore> store;
    if (tier == "host_hash_map") {
      store = std::make_unique<HashMapStore>();
    } else if (tier == "rocksdb") {
      store = std::make_unique<RocksDbStore>(o.directory + "/rocksdb");
    } else if (tier == "redis") {
      server = std::make_unique<RedisServerProcess>(o.redis_server);
      store = std::make_unique<RedisStore>("127.0.0.1", server->port());
    } else {
      throw std::invalid_argument("unknown tier " + tier);
    }
    nlohmann::ordered_json dims = nlohmann::ordered_json::object(), write_dims = nlohmann::ordered_json::object();
    for (const int dim : o.dims) {
      if (progress) progress(tier + ": storing " + std::to_string(o.rows) + " vectors of dimension " + std::to_string(dim));
      store->fill(o.rows, dim);
      if (progress) progress(tier + ": timing lookups, dimension " + std::to_string(dim));
      dims[std::to_string(dim)] = time_store(*store, o, dim, rng, false);
      if (progress) progress(tier + ": timing writes, dimension " + std::to_string(dim));
      write_dims[std::to_string(dim)] = time_store(*store, o, dim, rng, true);
    }
    tiers[tier] = {{"component", store->description()}, {"rows", o.rows}, {"dims", dims}, {"write_dims", write_dims}};
    store.reset();
    if (server) server->stop();
    if (tier == "rocksdb") std::filesystem::remove_all(o.directory + "/rocksdb");
  }
  return tiers;
}

}  // namespace recsim
