#pragma once
// The validated, typed form of a scenario file (formats 1 and 2, documented key by key in
// docs/scenario-format.md). Everything downstream of the parser trusts these values.
#include "kernels/profiles/latency_curve.h"
#include "workloads/key_trace.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct ServerGroup {
  std::string name;  // servers are named name-0, name-1, ...
  int kind = -1;     // format 2: index into Scenario::kinds (cores, GPUs and PCIe copied from it)
  int count = 1;
  int cpu_cores = 1;
  int gpus = 0;                   // each on its own PCIe link to the server
  double pcie_bytes_per_s = 0.0;  // per direction (full duplex)
  double pcie_latency_s = 0.0;
};

struct ArrivalSpec {
  enum class Process { poisson, trace } process = Process::poisson;
  // poisson: the rate. trace: the mean rate the trace is replayed at, its time axis scaled to it:
  // the recorded rate unless the scenario gives one (so that capacity and tune can vary it).
  double qps = 0.0;
  std::string trace_file;  // trace: resolved path
  double trace_span_s = 0.0;  // trace: the last arrival's time, as recorded
  double trace_recorded_qps = 0.0;  // trace: its queries / its last arrival's time (0: all at time 0)
  bool trace_rate_given = false;    // trace: `qps` was in the scenario

  // What a trace's arrival times are multiplied by (1 for Poisson arrivals and unscaled traces).
  double time_scale() const {
    return process == Process::trace && qps > 0.0 && trace_recorded_qps > 0.0 ? trace_recorded_qps / qps : 1.0;
  }
};

struct QuerySizeSpec {
  enum class Distribution { fixed, normal, lognormal, empirical, trace } distribution = Distribution::fixed;
  int value = 1;                             // fixed
  double mean = 0.0, sd = 0.0;               // normal
  double mu = 0.0, sigma = 0.0;              // lognormal
  int max = 1;                               // normal, lognormal
  std::string table_file;                    // empirical: resolved path
  std::vector<std::pair<int, double>> table; // empirical: the rows read from table_file
  int trace_max = 0;                         // trace: the largest size in the arrival trace
  double trace_mean = 0.0;                   // trace: the mean size in the arrival trace

  // The largest query the workload can draw.
  int largest() const {
    switch (distribution) {
      case Distribution::fixed: return value;
      case Distribution::normal:
      case Distribution::lognormal: return max;
      case Distribution::empirical: {
        int m = 1;
        for (const auto& row : table) m = row.first > m ? row.first : m;
        return m;
      }
      case Distribution::trace: break;
    }
    return trace_max;
  }
};

// HugeCTR HPS's hierarchy for offloaded queries (service.embedding_cache; docs/parameter-server.md):
// a GPU cache per table per GPU over a volatile tier over an optional persistent tier.
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
  double fraction = 0.1;
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
  // Lower contention levels measured (instances at once, curve), increasing, below profile_busy_cores.
  std::vector<std::pair<int, LatencyCurve>> contention_levels;
  int contention_instances = 2;                   // instances at once of contention_curve (the top level)
  std::vector<AfterIdleCurves> after_idle;        // requests reaching an idle core, by pause (empty: as back to back)
  std::optional<LatencyCurve> cold_size_curve; // a request after one of another size (absent: as back to back)
  std::vector<RunSpreadPoint> run_spread;         // one request's own variation by size (empty: none)
  int profile_cores = 0;                          // the calibration machine's cores (0: not recorded)
  int profile_busy_cores = 0;                     // the most instances it ran at once (contention measured up to)
  std::string profile_cpu_model;                  // the calibration machine's CPU ("" if not recorded)
  // model, with GPUs: the GPU profile's kernel time for the model, and the bytes a query moves
  std::string gpu_profile_file;                   // resolved path; empty without GPUs
  std::string gpu_profile_source;                 // "measured" or "analytic"
  std::optional<LatencyCurve> gpu_curve;          // kernels alone (transfers are simulated on PCIe)
  // Each copy's fixed cost (the launch, the driver, the DMA set-up), before its bytes cross the
  // PCIe link: the GPU profile's upload and download curves at zero items (LatencyProfile::copy_fixed_ms).
  double gpu_upload_fixed_s = 0.0, gpu_download_fixed_s = 0.0;
  double input_bytes_per_item = 0.0;              // host to device: dense features and sparse indices
  double output_bytes_per_item = 0.0;             // device to host
  std::string model_file;                         // the model definition read (with GPUs)
  std::vector<std::int64_t> table_rows;           // service.table_rows, one per table; empty: the definition's
  std::optional<EmbeddingCacheSpec> embedding_cache;  // with GPUs: HPS's GPU cache and lower tiers
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
  // A server-level policy's name (sim/scheduling/scheduler_policy.h: static, cpu-only,
  // deeprecsched, gpu-only, deeprecsched-online).
  std::string policy = "static";
  int batch_size = 1;
  int gpu_threshold = 0;  // deeprecsched
  OnlineSpec online;      // deeprecsched-online
  std::string server_selection = "least_loaded";  // v1: a balancer policy's name (sim/balancing/balancer.h)
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

// Format 2: a kind of server (server_kinds.N): its shape, its profiles, its power and cost.
struct PowerSpec {
  double cpu_idle_w = 0.0, cpu_busy_w = 0.0;  // all sockets: idle, and every core busy
  double gpu_idle_w = 0.0, gpu_busy_w = 0.0;  // per GPU: idle, and kernels running
  double other_w = 0.0;                       // the rest of the box (memory, fans, disks, NIC), constant
  std::string source;                         // where the figures come from (free text, reported)
};

struct ServerKind {
  std::string name;
  int cpu_cores = 1;
  int gpus = 0;
  double pcie_bytes_per_s = 0.0, pcie_latency_s = 0.0;
  std::string cpu_profile, gpu_profile;  // resolved paths; empty when not given
  std::optional<PowerSpec> power;
  std::optional<double> cost_per_hour;   // any currency, per server
};

// Format 2: one model the fleet serves (models.N).
struct ModelDeployment {
  std::string name;                      // unique; names the model in results
  double share = 1.0;                    // of all arrivals (normalised over the models)
  QuerySizeSpec query_size;
  SlaSpec sla;
  std::vector<std::optional<ServiceSpec>> service;  // per server kind; set for the kinds hosting it
  std::vector<SchedulerSpec> scheduler;             // per server kind
  std::vector<int> groups;               // placement: the server groups serving it
};

// Format 2: racks behind top-of-rack switches under a spine, frontend on the spine (network).
struct NetworkSpec {
  bool enabled = false;
  int servers_per_rack = 40;
  double nic_bytes_per_s = 0.0, nic_latency_s = 0.0;      // each server's link to its rack switch
  double uplink_bytes_per_s = 0.0, uplink_latency_s = 0.0;  // each rack switch's link to the spine
  bool frontend_link = false;  // absent: the frontend tier is not a bottleneck (many machines)
  double frontend_bytes_per_s = 0.0, frontend_latency_s = 0.0;  // the frontend's link to the spine
  double request_bytes = 0.0, request_bytes_per_item = 0.0;     // frontend to server
  double response_bytes = 0.0, response_bytes_per_item = 0.0;   // server to frontend
};

struct Scenario {
  std::string name;
  std::uint64_t seed = 1;
  int format = 1;                       // 1 or 2 (docs/scenario-format.md)
  std::vector<ServerGroup> servers;     // v1: platform.servers; v2: server_groups
  // Format 2 only (empty or default for v1; the engine derives the same picture from v1's keys).
  std::vector<ServerKind> kinds;
  std::vector<ModelDeployment> models;
  std::string balancer = "least_loaded";
  NetworkSpec network;
  ArrivalSpec arrival;
  QuerySizeSpec query_size;
  ServiceSpec service;
  SchedulerSpec scheduler;
  SlaSpec sla;
  RunSpec run;

  int total_servers() const;
  int total_cores() const;
  int total_gpus() const;
  // Every file the scenario was read from: outputs may not overwrite them.
  std::vector<std::string> input_files() const;
  std::string source_file;  // the scenario file itself (load_scenario), empty when built otherwise
  // The scenario's JSON after the --set overrides, serialised canonically (keys sorted): what
  // provenance hashes and the sweep store keys on (load_scenario; empty when built otherwise).
  std::string final_document;
};

}  // namespace recsim
