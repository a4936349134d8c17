#pragma once
// Scenario documents with GPUs and a parameter server, for the GPU offload and parameter-server
// tests: flat synthetic profiles, so every latency has a closed form.
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include <nlohmann/json.hpp>

#include <string>

namespace recsim::test {

inline nlohmann::json flat_profile(const std::string& device, double ms, bool kernel_only) {
  const nlohmann::json points = {{{"batch", 1}, {"median", ms}}, {{"batch", 1024}, {"median", ms}}};
  nlohmann::json m = {{"latency_ms", points}};
  if (kernel_only) m["kernel_only_ms"] = points;
  return {{"format", "recsim-profile/1"}, {"device", device}, {"source", "measured"},
          {"provenance", {{"note", "synthetic"}}}, {"models", {{"dlrm-rmc1", m}}}};
}

// dlrm-rmc1 (3,072 input bytes and 4 output bytes per item; 8 tables of 4M rows, dimension 32, 80
// lookups per item each) on one server of 4 cores and `gpus` GPUs on 1 GB/s, 10 us PCIe links; 1 ms
// per CPU request and 1 ms of GPU kernels whatever the size.
inline nlohmann::json gpu_document(const TempDir& dir, const std::string& trace, int gpus, const std::string& policy) {
  dir.write_json("cpu.json", flat_profile("cpu", 1.0, false));
  dir.write_json("gpu.json", flat_profile("gpu", 1.0, true));
  auto doc = mmc_document(4, 1.0, 1.0, 1, 0);
  doc["platform"]["servers"][0]["gpus"] = gpus;
  doc["platform"]["servers"][0]["pcie"] = {{"gb_per_s", 1.0}, {"latency_us", 10.0}};
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", trace}}}};
  doc["service"] = {{"type", "model"}, {"model", "dlrm-rmc1"}, {"profile", "cpu.json"},
                    {"gpu_profile", "gpu.json"}, {"contention", false}};
  doc["scheduler"] = {{"policy", policy}, {"batch_size", 16}};
  if (policy == "deeprecsched") doc["scheduler"]["gpu_threshold"] = 50;
  doc["run"] = nlohmann::json::object();
  return doc;
}

// Latency of one query of 100 items alone on a GPU: 307,200 bytes up at 1 GB/s + 10 us, 1 ms of
// kernels, 400 bytes down + 10 us.
constexpr double kLoneMs = 0.3072 + 0.010 + 1.0 + 0.0004 + 0.010;

// A linear tier curve at dimension 32: `first_ms` for one key plus `per_key_ms` per key beyond (one
// segment, so sums over tables are exact).
inline nlohmann::json linear_points(double first_ms, double per_key_ms) {
  return {{{"keys", 1}, {"median_ms", first_ms}, {"p10_ms", first_ms}, {"p90_ms", first_ms}, {"samples", 1}},
          {{"keys", 1000001}, {"median_ms", first_ms + 1e6 * per_key_ms}, {"p10_ms", 0}, {"p90_ms", 1e9}, {"samples", 1}}};
}

// Lookups: host hash map 0.01 ms + 1e-4 ms per key beyond the first, RocksDB 0.05 + 1e-3, Redis
// 0.02 + 2e-4; writes: hash map 0.005 + 5e-5, RocksDB 0.03 + 5e-4, Redis 0.01 + 1e-4.
inline std::string linear_tier_profile(const TempDir& dir) {
  const auto tier = [](double a, double b, double wa, double wb) {
    return nlohmann::json{{"component", "synthetic"}, {"rows", 1000001}, {"dims", {{"32", linear_points(a, b)}}},
                          {"write_dims", {{"32", linear_points(wa, wb)}}}};
  };
  return dir.write_json("tiers.json", {{"format", "recsim-tier-profile/1"},
                                       {"device", "tiers"},
                                       {"source", "measured"},
                                       {"provenance", {{"note", "synthetic"}}},
                                       {"tiers",
                                        {{"host_hash_map", tier(0.01, 1e-4, 0.005, 5e-5)},
                                         {"rocksdb", tier(0.05, 1e-3, 0.03, 5e-4)},
                                         {"redis", tier(0.02, 2e-4, 0.01, 1e-4)}}}});
}

// gpu_document with one GPU, every query offloaded, and `cache` as service.embedding_cache over
// linear_tier_profile.
inline nlohmann::json cache_document(const TempDir& dir, const std::string& trace, nlohmann::json cache) {
  auto doc = gpu_document(dir, trace, 1, "gpu-only");
  cache["tier_profile"] = linear_tier_profile(dir);
  doc["service"]["embedding_cache"] = std::move(cache);
  return doc;
}

}  // namespace recsim::test
