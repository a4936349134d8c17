#pragma once
// What the run's cross-cutting observers (the time series, sim/metrics/time_series.h) hear about
// queries and the resources that serve them. The query tracker (sim/engine/query_tracker.h) is the
// one component that notifies them: the servers and GPUs tell the tracker what they place, and no
// constructor beyond the tracker's hand-off takes an observer. Times are virtual seconds; a
// notification may come after later-timed ones (servers deliver completions lazily), never before
// the event is decided.
namespace recsim {

struct QueryTimes {
  double arrival = 0.0;       // at the frontend
  double at_server = 0.0;     // after the request crossed the network
  double first_start = 0.0;   // its first request (or the GPU's upload) started
  double departure = 0.0;     // its last request finished on the server
  double completion = 0.0;    // its response reached the frontend
};

class QueryObserver {
 public:
  virtual ~QueryObserver() = default;
  // A query of `model` arrived at the frontend at `now` (warm-up queries too).
  virtual void arrived(double now, int model) = 0;
  // A query of `model` served by server `server` of `group` completed.
  virtual void completed(const QueryTimes& t, int model, int group, int server) = 0;
  // One of its requests holds a core of server `server` (of `group`) from `start` to `end`.
  virtual void cpu_request(int server, int group, double start, double end) = 0;
  // One stage of a query offloaded to a GPU of server `server` ran from `start` to `end`: stage 0
  // the upload (host-to-device copies and tier waits), 1 the kernels, 2 the download.
  virtual void gpu_stage(int server, int group, int stage, double start, double end) = 0;

  // Failures (sim/failures/): the part [from, to) of a core's time announced by cpu_request that the
  // server's failure took back.
  virtual void cpu_request_cut(int /*server*/, int /*group*/, double /*from*/, double /*to*/) {}
  // A query of `model` that arrived at `arrival` was lost at `now` (`measured`: after the warm-up).
  virtual void lost(double /*arrival*/, double /*now*/, int /*model*/, bool /*measured*/) {}
  // A query of `model` caught by a failure is re-issued at `now`.
  virtual void retried(double /*now*/, int /*model*/) {}
  // Server `server` of `group` changed state at `now`: `up` (serving), else down and `powered`
  // (cut off the network, idle) or not (failed).
  virtual void server_state(int /*server*/, int /*group*/, double /*now*/, bool /*up*/, bool /*powered*/) {}
};

}  // namespace recsim
