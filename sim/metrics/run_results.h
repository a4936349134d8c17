#pragma once
// What one simulation run reports: the contract's results JSON (docs/results-format.md) in typed form.
#include "sim/metrics/cache_report.h"
#include "sim/metrics/time_series_report.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct LatencySummary {  // milliseconds
  double mean = 0, p50 = 0, p90 = 0, p95 = 0, p99 = 0, p999 = 0, max = 0;
};

class LatencyHistogram;
// Mean, p50 ... p99.9 and max of a histogram, in milliseconds.
LatencySummary summarise_latency(const LatencyHistogram& h);

struct GpuUtilization {
  std::string name;
  double busy = 0.0;      // kernels: busy fraction of the measurement window
  double h2d = 0.0;       // PCIe host-to-device direction: fraction of the window a transfer was on it
  double d2h = 0.0;       // PCIe device-to-host direction: the same
  double upload_stage = 0.0;  // the upload stage: busy fraction (tier waits and input transfers)
  double tier_wait = 0.0;     // the upload stage waiting on the lower tiers (embedding cache only)
  double offered = 0.0;   // kernel time of the queries sent to it / arrival span: >= 1 means overload
  std::uint64_t queries = 0;
};

struct ServerUtilization {
  std::string name;
  double cpu = 0.0;           // mean busy fraction of its cores over the measurement window
  double offered = 0.0;       // work dispatched to it / (cores x arrival span): >= 1 means overload
  std::vector<double> cores;  // busy fraction of each core
  // The parameter server's tier work on its cores (hash map, RocksDB), core-seconds / (window x
  // cores); not in `cpu`, and not contending with inference (embedding cache only, else absent).
  std::optional<double> tier_work;
  std::vector<GpuUtilization> gpus;
};

// The deeprecsched-online policy's climb: each window it measured, and where it landed.
struct OnlineClimbStep {
  int batch_size = 1;
  std::optional<int> gpu_threshold;
  std::string phase;  // "batch" or "threshold"
  double max_qps = 0;  // the arrival-rate controller's answer
  bool at_limit = false;  // ... at the end of its range
  double started_s = 0, decided_s = 0;
};

struct OnlineClimbReport {
  bool finished = false;
  double finished_at_s = 0;         // virtual time of the last decision
  std::uint64_t climb_queries = 0;  // arrivals before it finished
  int batch_size = 1;               // the configuration in force at the end of the run
  std::optional<int> gpu_threshold;
  std::vector<OnlineClimbStep> steps;
};

// Format 2: the fleet broken down (docs/results-format.md, "Datacenter results").
struct SlaVerdict {
  double percentile = 0.0, target_ms = 0.0;
  std::optional<double> observed_ms;
  std::optional<std::pair<double, double>> ci95_ms;
  bool met = false;
};

struct ModelResults {
  std::string name;
  double share = 0.0;
  std::uint64_t measured = 0;
  double throughput_qps = 0.0;
  std::optional<LatencySummary> latency_ms;
  SlaVerdict sla;
  std::optional<CacheReport> embedding_cache;  // with service.embedding_cache: its GPUs' caches of the model
};

struct PowerReport {  // over the measurement window
  double mean_w = 0.0;
  double energy_j = 0.0;
};

struct GroupResults {
  std::string name, kind;
  int servers = 0;
  std::uint64_t measured = 0;  // measured queries it served
  std::optional<LatencySummary> latency_ms;
  double cpu_utilization = 0.0;
  std::optional<double> gpu_utilization;
  std::optional<PowerReport> power;
  // Per model cached on its GPUs: hits over unique keys looked up there (measured queries).
  std::vector<std::pair<std::string, double>> cache_hit_rates;
  // With caches on its GPUs: the fraction of the window its GPUs' upload stages waited on the lower
  // tiers, their mean (every model's fetches).
  std::optional<double> gpu_tier_wait;
};

struct KindResults {
  std::string name;
  int servers = 0;
  double cpu_utilization = 0.0;
  std::optional<double> gpu_utilization;
  std::optional<PowerReport> power;
  std::optional<double> cost_per_hour;  // all its servers
  std::string cpu_profile, cpu_source, gpu_profile, gpu_source;  // provenance of its service times
  std::string power_source;
};

struct EnergyReport {
  double mean_power_w = 0.0, energy_j = 0.0;
  double joules_per_query = 0.0, qps_per_watt = 0.0;
};

struct BalanceReport {
  // The spread of the servers' CPU utilisation within each group (servers of one kind, so equal
  // shares are the ideal): the largest max / mean over the groups, and the mean coefficient of
  // variation.
  double max_over_mean = 0.0;
  double cv = 0.0;
};

struct DatacenterResults {
  std::vector<ModelResults> models;
  std::vector<GroupResults> groups;
  std::vector<KindResults> kinds;
  std::string balancer;
  double network_ms = 0.0, queueing_ms = 0.0, service_ms = 0.0;  // mean split of the measured latency
  double retry_ms = 0.0;  // ... and, with failures, arrival to the last re-issue
  bool network = false;
  std::string network_model;  // with a network: "flow" or "simgrid" (`network.model`)
  std::optional<EnergyReport> energy;  // when every kind has a power model
  std::optional<double> cost_per_hour;             // when every kind gives its cost
  std::optional<double> cost_per_million_queries;  // ... at the measured throughput
  BalanceReport balance;
  std::string binding_model;  // the model whose SLA is closest to (or furthest past) its target
};

// Query-size classes of the GPU time split: [1, 16), [16, 64), [64, 256), [256, 1024), [1024, ...).
inline constexpr int kGpuSizeClassBounds[] = {16, 64, 256, 1024};
inline constexpr int kGpuSizeClasses = 5;
inline int gpu_size_class(int items) {
  int k = 0;
  while (k < kGpuSizeClasses - 1 && items >= kGpuSizeClassBounds[k]) ++k;
  return k;
}
inline std::string gpu_size_class_label(int index) {
  const int lo = index == 0 ? 1 : kGpuSizeClassBounds[index - 1];
  return index == kGpuSizeClasses - 1 ? std::to_string(lo) + "+" : std::to_string(lo) + "-" + std::to_string(kGpuSizeClassBounds[index] - 1);
}

// Offloaded queries' time on a GPU's stages, summed over the measured queries of one size class.
struct GpuStageTimes {
  std::uint64_t queries = 0;
  double upload_s = 0, kernel_s = 0, download_s = 0;
  void add(const GpuStageTimes& o) {
    queries += o.queries;
    upload_s += o.upload_s;
    kernel_s += o.kernel_s;
    download_s += o.download_s;
  }
  // The copies' share of the queries' GPU time (0 without time).
  double transfer_share() const {
    const double total = upload_s + kernel_s + download_s;
    return total > 0 ? (upload_s + download_s) / total : 0.0;
  }
};

// With failures (the scenario's `failures`): what they did and what they cost.
struct AvailabilityReport {
  std::uint64_t failures = 0;      // servers going down
  double server_down_s = 0.0;      // server-seconds down over the run
  double mean_servers_up = 0.0;    // time-average over the run
  double all_up_fraction = 0.0;    // of the run's time, every server up
  int most_down = 0;
  std::uint64_t lost = 0, measured_lost = 0, retries = 0;
  // Measured queries that completed within their model's SLA target, over the measured queries
  // (completed or lost), and its nines (-log10 of the rest; none when every query made it).
  double within_sla = 0.0;
  std::optional<double> query_nines;
  // With run.window_s: the fraction of judged windows that met the SLA, and its nines.
  std::optional<double> windows_met;
  std::optional<double> window_nines;
};

// With autoscaling: per scaled group, what it used against the same group at its maximum throughout
// (a fleet sized for the peak doing the same work).
struct ScaledGroupReport {
  std::string name;
  int min = 0, max = 0;
  double server_hours = 0, peak_server_hours = 0;  // powered (booting, serving, draining)
  double mean_servers = 0;                         // powered, time-averaged
  std::uint64_t scale_outs = 0, scale_ins = 0;     // servers started (or reactivated) and drained (or stopped booting)
  std::optional<double> energy_kwh, peak_energy_kwh;  // with the kind's power model
  std::optional<double> cost, peak_cost;              // with the kind's cost per hour
};

struct AutoscalingReport {
  std::string policy;
  double interval_s = 0, startup_s = 0;
  std::vector<ScaledGroupReport> groups;
  double server_hours = 0, peak_server_hours = 0;
  std::optional<double> energy_kwh, peak_energy_kwh;  // when every scaled group has a power model
  std::optional<double> cost, peak_cost;              // ... a cost
};

struct RunResults {
  std::string scenario;
  std::uint64_t seed = 0;
  bool saturated = false;
  std::string saturation_reason;  // empty unless saturated
  std::string stopped_early;      // why a run that watched its SLA stopped once it was missed; empty otherwise
  std::uint64_t arrived = 0, completed = 0, measured = 0;
  double throughput_qps = 0.0;
  double mean_in_system = 0.0;  // time-average number of queries in the system over the window (L)
  std::optional<LatencySummary> latency_ms;  // absent when no query was measured
  double mean_wait_ms = 0.0;                 // arrival to the start of the query's first request
  double waited_fraction = 0.0;              // share of measured queries that waited at all
  double sla_percentile = 0.0, sla_target_ms = 0.0;
  std::optional<double> sla_observed_ms;
  std::optional<std::pair<double, double>> sla_ci95_ms;  // batch-means 95% interval of the percentile
  bool sla_met = false;
  double cpu_utilization = 0.0;
  std::optional<double> gpu_utilization;  // mean kernel-busy fraction over all GPUs; none without GPUs
  std::uint64_t gpu_queries = 0;          // queries served whole by a GPU
  // Over every GPU: the measured offloaded queries' stage times by size class (kGpuSizeClasses
  // entries; empty without GPUs).
  std::vector<GpuStageTimes> gpu_stage_times;
  std::vector<ServerUtilization> servers;
  std::optional<OnlineClimbReport> online;  // deeprecsched-online only
  std::optional<CacheReport> embedding_cache;  // service.embedding_cache only: all GPUs
  std::string service_type;     // "exponential", "deterministic", "table" or "model"
  std::string service_model;    // model: the model's name
  std::string service_profile;  // model: the profile file
  std::string service_source;   // model: "measured" or "analytic"
  std::string service_gpu_profile;  // model with GPUs: the GPU profile file
  std::string service_gpu_source;   // ... "measured" or "analytic"
  std::string service_model_file;   // model with GPUs: the model definition read
  std::vector<std::int64_t> service_table_rows;  // service.table_rows in force, one per table; empty: the definition's
  std::optional<DatacenterResults> datacenter;  // format 2 only
  std::optional<TimeSeriesReport> time_series;  // with run.window_s only
  std::optional<AvailabilityReport> availability;  // with failures only
  std::optional<AutoscalingReport> autoscaling;    // with autoscaling only
  // Only when asked for (SimulationOptions::latency_cdf); not part of the results JSON.
  std::vector<std::pair<double, double>> latency_cdf_ms;  // (latency ms, fraction of queries <= it)
  double wall_seconds = 0.0;
  double virtual_seconds = 0.0;
  std::uint64_t requests_simulated = 0;
  // For capacity searches, not part of the results JSON: the highest offered load over the servers
  // and GPUs counted at the requests' times alone and with every other core busy, set only for a
  // run that went to its end in a system whose offered work does not depend on the rate
  // (Dispatcher::offered_work_scales_with_rate). The same seed at rate r' then offers exactly
  // r'/qps times `alone`, so every rate from qps / alone up is saturated for certain.
  struct OfferedBounds {
    double alone = 0.0, all_busy = 0.0;
  };
  std::optional<OfferedBounds> offered_bounds;
};

}  // namespace recsim
