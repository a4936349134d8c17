#pragma once
// Real serving: one server of `cores` worker threads, each pinned to a CPU of this process's
// affinity mask and running a model's oneDNN kernels (kernels/model/model_forward.h), fed by a load
// generator that issues the queries at their arrival times in wall-clock time. Each query is split
// into requests of at most `batch_size` items (the static policy's split, sim/scheduling/
// static_policy.h), the requests wait in one FIFO queue, and the first free worker takes the next
// one: the queue the simulator models (docs/design.md). A query's latency is the completion of its
// last request minus the moment the generator handed it over (the server's arrival; how late the
// generator's timer was against the schedule is reported apart, as issue lag), recorded in the
// simulator's histogram (sim/metrics/latency_histogram.h).
//
// With pinning, the load generator gets a CPU of its own when the affinity mask has one beyond the
// workers' (`--cores` below the CPUs), so that it takes no time from a worker at each arrival;
// otherwise it floats over the workers' CPUs, as on a machine with no core to spare.
//
// The work of a request is a callable, so tests can serve with work whose time is known; `recsim
// validate` (sim/cli/validate_command.cpp) serves with the model's kernels (model_work).
#include "kernels/model/model_weights.h"
#include "sim/metrics/latency_histogram.h"
#include "workloads/query_source.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace recsim {

// Runs one request of `items` items on worker `worker` (each worker calls only its own).
using RequestWork = std::function<void(int worker, int items)>;
// Makes worker w's work; called on that worker's own (pinned) thread before serving starts.
using WorkFactory = std::function<RequestWork(int worker)>;

struct RealServingOptions {
  int cores = 1;
  int batch_size = 1;
  std::uint64_t warmup_queries = 0;  // the first queries, served but not measured
  bool pin = true;                   // pin worker i to the i-th CPU of the affinity mask
};

// The requests of one size served for measured queries, and the worker time they took.
struct ServedRequests {
  std::uint64_t requests = 0;
  double seconds = 0.0;
  double mean_seconds() const { return requests ? seconds / static_cast<double>(requests) : 0.0; }
};

// One request as served, in the order its worker took it (the warm-up queries' too), in seconds
// since serving started: when the generator queued it, when its worker began and ended it.
struct ServedRequest {
  std::uint32_t query = 0;
  int items = 0;
  double queued = 0.0;
  double start = 0.0;
  double end = 0.0;
};

struct RealServingResult {
  LatencyHistogram latency;        // seconds, measured queries
  std::uint64_t measured = 0;
  double wall_seconds = 0.0;       // first arrival to last completion
  double throughput_qps = 0.0;     // measured queries / (their last completion - first arrival)
  double busy_fraction = 0.0;      // worker time in requests / (cores x wall)
  std::map<int, ServedRequests> served_by_items;  // measured queries' requests, by request size
  std::vector<std::vector<ServedRequest>> served_log;  // per worker, every request in the order served
  double max_issue_lag_ms = 0.0;   // how late the generator issued a query, at worst
  double mean_issue_lag_ms = 0.0;
  std::vector<int> cpus;           // the CPUs the workers were pinned to (empty: not pinned)
  int generator_cpu = -1;          // the load generator's own CPU (-1: none left, it shares the workers')
};

RealServingResult serve_real(const std::vector<QueryArrival>& queries, const RealServingOptions& options,
                             const WorkFactory& work);

// The work of a model's forward pass on this machine: per worker its own oneDNN primitives and
// buffers (the calibration's instance, kernels/calibration/cpu_calibrator.cpp), sharing `weights`.
// Inputs (power-law keys, as the calibration's) are drawn ahead of
// time: per request size as many batches as it has requests (`requests_by_size`, every size that
// will be asked for), within `input_bytes` for all, the sizes sharing it by their requests; the
// workers take each size's batches in turn, so a request reuses keys only after that size's whole
// pool. Few batches cycled would keep their embedding rows in cache, which serving fresh queries
// does not. Each worker runs every size once before serving starts, as a server warms up before it
// takes traffic: its oneDNN primitives are made (just-in-time compiled) then, not inside the first
// request of each size.
WorkFactory model_work(std::shared_ptr<const ModelWeights> weights, std::uint64_t seed, const std::map<int, std::uint64_t>& requests_by_size,
                       std::size_t input_bytes);

}  // namespace recsim
