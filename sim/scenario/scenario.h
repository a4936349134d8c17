#pragma once
// The validated, typed form of a scenario file (format v1, documented key by key in
// docs/scenario-format.md). Everything downstream of the parser trusts these values.
#include "kernels/profiles/latency_curve.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

struct ServerGroup {
  std::string name;  // servers are named name-0, name-1, ...
  int count = 1;
  int cpu_cores = 1;
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
};

struct SchedulerSpec {
  enum class Policy { static_batch } policy = Policy::static_batch;
  int batch_size = 1;
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
};

}  // namespace recsim
