#pragma once
// The fleet the engine builds and runs, the same whichever format the scenario was written in:
// server kinds, groups of servers of one kind, a balancer and an optional rack network, and the
// models the fleet serves, each with its query sizes, its SLA (the SLA's one home), and per kind
// hosting it its service time and scheduling policy. The parser translates a format-1 scenario into
// this at the edge: one kind per server group and one model served everywhere
// (docs/scenario-format.md).
#include "sim/failures/failure_spec.h"
#include "sim/scaling/autoscaling_spec.h"
#include "sim/scheduling/scheduler_spec.h"
#include "sim/service/service_spec.h"
#include "workloads/query_size_spec.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct SlaSpec {
  double percentile = 95.0;  // in (0, 100)
  double target_ms = 0.0;
};

// A kind of server (server_kinds.N; format 1: one per server group): its shape, its profiles, its
// power and cost.
struct PowerSpec {
  double cpu_idle_w = 0.0, cpu_busy_w = 0.0;  // all sockets: idle, and every core busy
  double gpu_idle_w = 0.0, gpu_busy_w = 0.0;  // per GPU: idle, and kernels running
  double other_w = 0.0;                       // the rest of the box (memory, fans, disks, NIC), constant
  std::string source;                         // where the figures come from (free text, reported)
};

struct ServerKind {
  std::string name;
  int cpu_cores = 1;
  int gpus = 0;                   // each on its own PCIe link to the server
  double pcie_bytes_per_s = 0.0;  // per direction (full duplex)
  double pcie_latency_s = 0.0;
  std::string cpu_profile, gpu_profile;  // resolved paths; empty when not given
  std::optional<PowerSpec> power;
  std::optional<double> cost_per_hour;   // any currency, per server
  // Each GPU's memory for the embedding caches of the models offloaded to it (bytes), shared by
  // gpu_memory_share; none: no model keeps a cache on the kind.
  std::optional<double> embedding_cache_bytes;
};

struct ServerGroup {
  std::string name;  // servers are named name-0, name-1, ...
  int kind = -1;     // index into Fleet::kinds (cores, GPUs and PCIe copied from it)
  int count = 1;
  int cpu_cores = 1;
  int gpus = 0;
  double pcie_bytes_per_s = 0.0;
  double pcie_latency_s = 0.0;
};

// Racks behind top-of-rack switches under a spine, frontend on the spine (format 2's network).
struct NetworkSpec {
  bool enabled = false;
  bool flow_model = true;  // `model`: recsim's flow-level network ("flow") or SimGrid's ("simgrid")
  int servers_per_rack = 40;
  double nic_bytes_per_s = 0.0, nic_latency_s = 0.0;      // each server's link to its rack switch
  double uplink_bytes_per_s = 0.0, uplink_latency_s = 0.0;  // each rack switch's link to the spine
  bool frontend_link = false;  // absent: the frontend tier is not a bottleneck (many machines)
  double frontend_bytes_per_s = 0.0, frontend_latency_s = 0.0;  // the frontend's link to the spine
  double request_bytes = 0.0, request_bytes_per_item = 0.0;     // frontend to server
  double response_bytes = 0.0, response_bytes_per_item = 0.0;   // server to frontend
};

// One model the fleet serves (models.N; format 1: the scenario's one model).
struct FleetModel {
  std::string name;    // unique; names the model in results
  double share = 1.0;  // of all arrivals, normalised: the shares of all models sum to 1
  QuerySizeSpec query_size;
  SlaSpec sla;
  // Per server kind; null where the model is not hosted. Shared, not copied: format 1 serves one
  // service on every kind.
  std::vector<std::shared_ptr<const ServiceSpec>> service;
  std::vector<SchedulerSpec> scheduler;  // per server kind
  std::vector<int> groups;               // placement: the server groups serving it, increasing

  // The service on the first kind hosting the model.
  const ServiceSpec& first_service() const;
  // Sets every hosting kind's service to `spec`.
  void set_service(const ServiceSpec& spec);
};

struct Fleet {
  std::vector<ServerKind> kinds;
  std::vector<ServerGroup> groups;  // kind set
  std::vector<FleetModel> models;
  std::string balancer = "least_loaded";  // a balancer policy's name (sim/balancing/balancer.h)
  NetworkSpec network;
  std::optional<FailureSpec> failures;  // the scenario's `failures`, if any
  std::optional<AutoscalingSpec> autoscaling;  // the scenario's `autoscaling`, if any

  int total_servers() const;
  int total_cores() const;
  int total_gpus() const;
  // HPS's embedding cache and lower tiers: the first a service configures (format 1: the one), or null.
  const EmbeddingCacheSpec* embedding_cache() const;
  // Model `model`'s on kind `kind` (format 2: each (model, kind) its own, sized for the kind), or null.
  const EmbeddingCacheSpec* embedding_cache(std::size_t model, std::size_t kind) const;
  // Model `model`'s on the servers of group `group`: its kind's, where the model is placed on the group.
  const EmbeddingCacheSpec* embedding_cache_on_group(std::size_t model, std::size_t group) const;
  // The cores of each server of group `group` its models share: its cores less those of the
  // instances of the models placed on it that have their own (SchedulerSpec::instances).
  int shared_cores(std::size_t group) const;
};

}  // namespace recsim
