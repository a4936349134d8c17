#pragma once
// What the run's cross-cutting observers (the time series, sim/metrics/time_series.h) hear about
// queries and the resources that serve them. The query tracker (sim/engine/query_tracker.h) is the
// one component that notifies them: the servers and GPUs tell the tracker what they place, and no
// constructor beyond the tracker's hand-off takes an observer. Times are virtual seconds; a
// notification may come after later-timed ones (servers deliver completions lazily), never before
// the event is decided.
#include <cstdint>

namespace recsim {

struct QueryTimes {
  double arrival = 0.0;       // at the frontend
  double reissued = 0.0;      // its last re-issue after a failure caught it (= arrival if none)
  double at_server = 0.0;     // after the request crossed the network
  double first_start = 0.0;   // its first request (or the GPU's upload) started
  double departure = 0.0;     // its last request finished on the server
  double completion = 0.0;    // its response reached the frontend
};

// One request of query `query` on core `core` of server `server` (of `group`), from `start` to `end`.
struct RequestSpan {
  std::uint64_t query = 0;
  int server = 0, group = 0, core = 0;
  double start = 0.0, end = 0.0;
  int cores = 1;  // the cores it holds, core and the next ones (its intra-op threads)
};

// One stage of query `query` offloaded to GPU `gpu` (its index on the server) of server `server`:
// stage 0 the upload (host-to-device copies and tier waits), 1 the kernels, 2 the download.
struct GpuStageSpan {
  std::uint64_t query = 0;
  int server = 0, group = 0, gpu = 0, stage = 0;
  double start = 0.0, end = 0.0;
};

// Queries are named by their arrival index (0, 1, ...); every method has an empty default, so an
// observer overrides what it needs.
class QueryObserver {
 public:
  virtual ~QueryObserver() = default;
  // Query `query` of `model` arrived at the frontend at `now` (warm-up queries too).
  virtual void arrived(std::uint64_t /*query*/, double /*now*/, int /*model*/) {}
  // It completed, served by server `server` of `group`.
  virtual void completed(std::uint64_t /*query*/, const QueryTimes& /*t*/, int /*model*/, int /*group*/, int /*server*/) {}
  // One of its requests holds a core (announced when placed: its end is already known).
  virtual void cpu_request(const RequestSpan& /*r*/) {}
  // One of its GPU stages ran.
  virtual void gpu_stage(const GpuStageSpan& /*s*/) {}

  // Failures (sim/failures/): the part [from, to) of a core's time announced by cpu_request that the
  // server's failure took back.
  // `cores`: the cores the request held.
  virtual void cpu_request_cut(int /*server*/, int /*group*/, double /*from*/, double /*to*/, int /*cores*/) {}
  // Query `query` of `model`, arrived at `arrival`, was lost at `now` (`measured`: after the warm-up).
  virtual void lost(std::uint64_t /*query*/, double /*arrival*/, double /*now*/, int /*model*/, bool /*measured*/) {}
  // It was caught by a failure and is re-issued at `now`.
  virtual void retried(std::uint64_t /*query*/, double /*now*/, int /*model*/) {}
  // Server `server` of `group` changed state at `now`: `up` (serving), else down and `powered`
  // (cut off the network, booting, idle) or not (failed, switched off).
  virtual void server_state(int /*server*/, int /*group*/, double /*now*/, bool /*up*/, bool /*powered*/) {}
};

}  // namespace recsim
