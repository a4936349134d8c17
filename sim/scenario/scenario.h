#pragma once
// The validated, typed form of a scenario file (format v1, documented key by key in
// docs/scenario-format.md). Everything downstream of the parser trusts these values.
#include "kernels/profiles/latency_curve.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct ServerGroup {
  std::string name;  // servers are named name-0, name-1, ...
  int count = 1;
  int cpu_cores = 1;
  int gpus = 0;                   // each on its own PCIe link to the server
  double pcie_bytes_per_s = 0.0;  // per direction (full duplex)
  double pcie_latency_s = 0.0;
};

struct ArrivalSpec {
  enum class Process { poisson, trace } process = Process::poisson;
  double qps = 0.0;        // poisson
  std::string trace_file;  // trace: resolved path
};

struct QuerySizeSpec {
  enum class Distribution { fixed, normal, lognormal, empirical, trace } distribution = Distribution::fixed;
  int value = 1;                             // fixed
  double mean = 0.0, sd = 0.0;               // normal
  double mu = 0.0, sigma = 0.0;              // lognormal
  int max = 1;                               // normal, lognormal
  std::string table_file;                    // empirical: resolved path
  std::vector<std::pair<int, double>> table; // empirical: the rows read from table_file
};

// The GPU embedding cache of offloaded queries (service.embedding_cache; sim/ps/gpu_embedding_lookup.h).
struct EmbeddingTableSpec {
  std::int64_t rows = 1;
  int dim = 1;
  int lookups = 1;  // per item
};

struct EmbeddingCacheSpec {
  double fraction = 0.1;
  double hit_rate_threshold = 0.9;
  double zipf_alpha = 0.0;  // 0: uniform keys
  std::string tier_profile_file;
  std::string volatile_tier = "host_hash_map";
  std::vector<EmbeddingTableSpec> tables;     // the model's, one per table
  std::map<int, LatencyCurve> fetch_curves;   // dim -> the volatile tier's lookup time vs keys
};

struct ServiceSpec {
  enum class Type { exponential, deterministic, table, model } type = Type::deterministic;
  double mean_ms = 0.0;                           // exponential
  double ms = 0.0;                                // deterministic
  std::vector<std::pair<int, double>> batch_ms;   // table: (batch, ms), increasing batch
  // model: a calibrated profile's curves for one model
  std::string model;
  std::string profile_file;                       // resolved path
  std::string profile_source;                     // "measured" or "analytic"
  std::optional<LatencyCurve> curve;              // one instance alone
  std::optional<LatencyCurve> contention_curve;   // every core busy (absent: no contention model)
  // model, with GPUs: the GPU profile's kernel time for the model, and the bytes a query moves
  std::string gpu_profile_file;                   // resolved path; empty without GPUs
  std::string gpu_profile_source;                 // "measured" or "analytic"
  std::optional<LatencyCurve> gpu_curve;          // kernels alone (transfers are simulated on PCIe)
  double input_bytes_per_item = 0.0;              // host to device: dense features and sparse indices
  double output_bytes_per_item = 0.0;             // device to host
  std::optional<EmbeddingCacheSpec> embedding_cache;  // with GPUs: HPS's GPU cache over a volatile tier
};

// The deeprecsched-online policy's climb (sim/scheduling/online_hill_climber.h).
struct OnlineSpec {
  std::vector<int> batches;     // increasing
  std::vector<int> thresholds;  // increasing; empty: no offload phase
  double min_qps = 0.0, max_qps = 0.0;  // the arrival-rate controller's range
  int gap_steps = 50;
  int update_queries = 64;
  int updates = 128;
  int median_of = 50;
  double headroom = 0.10;
};

struct SchedulerSpec {
  // static / cpu-only: every query split over the CPU cores; deeprecsched: queries of size >=
  // gpu_threshold go whole to a GPU, smaller ones are split; gpu-only: every query to a GPU;
  // deeprecsched-online: batch_size and gpu_threshold climbed during the run (`online`).
  enum class Policy { static_batch, cpu_only, deeprecsched, gpu_only, deeprecsched_online } policy = Policy::static_batch;
  int batch_size = 1;
  int gpu_threshold = 0;  // deeprecsched
  OnlineSpec online;      // deeprecsched-online
  bool offloads() const { return policy == Policy::deeprecsched || policy == Policy::gpu_only; }
  // Whether a query of `size` items runs on a GPU (fixed policies; the online policy asks its climber).
  bool to_gpu(int size) const {
    return policy == Policy::gpu_only || (policy == Policy::deeprecsched && size >= gpu_threshold);
  }
  enum class ServerSelection { least_loaded, round_robin } server_selection = ServerSelection::least_loaded;
};

struct SlaSpec {
  double percentile = 95.0;  // in (0, 100)
  double target_ms = 0.0;
};

struct RunSpec {
  std::uint64_t queries = 0;
  std::uint64_t warmup_queries = 0;
  std::uint64_t max_in_flight = 100000;  // saturation bound on queries in the system
};

struct Scenario {
  std::string name;
  std::uint64_t seed = 1;
  std::vector<ServerGroup> servers;
  ArrivalSpec arrival;
  QuerySizeSpec query_size;
  ServiceSpec service;
  SchedulerSpec scheduler;
  SlaSpec sla;
  RunSpec run;

  int total_servers() const;
  int total_cores() const;
  int total_gpus() const;
};

}  // namespace recsim
