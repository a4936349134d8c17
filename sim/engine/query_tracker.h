#pragma once
// The queries in the system and the one interface through which the system under test hands
// completions back (MLPerf LoadGen's QuerySamplesComplete): a fixed pool of records reused as
// queries complete (memory bounded by the number in flight), request counting (a query leaves its
// server with its last request), and the hand-off of completed queries to the run's metrics (the
// fleet-wide RunMetrics, and the FleetMetrics observer when there is one), and the notification
// of the run's cross-cutting observers (QueryObserver: the time series), which hear every query,
// warm-up included, and every request placed on a core or a GPU stage.
//
// A query's life: open() at the frontend; at_server() when it reaches the server that serves it
// (after the network, or at once), which plans it into requests (add_requests); request_started()
// and request_finished() from the cores or the GPU; when the last request finishes, the departure
// handler (the network's response leg) or, without one, complete() at once.
#include "sim/metrics/fleet_metrics.h"
#include "sim/metrics/query_observer.h"
#include "sim/metrics/run_metrics.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace recsim {

class QueryTracker {
 public:
  explicit QueryTracker(RunMetrics& metrics, FleetMetrics* fleet = nullptr) : metrics_(metrics), fleet_(fleet) {}

  // A query of `model` arrives at `now` and will be served as `requests` requests (0: planned at
  // its server, add_requests). Returns its slot.
  std::uint32_t open(double now, int requests, bool measured, int model = 0, int size = 0);
  // It reached `server` (of `group`) at `now`.
  void at_server(std::uint32_t slot, double now, int group, int server);
  // Its server planned `requests` more requests for it.
  void add_requests(std::uint32_t slot, int requests) { records_[slot].remaining += requests; }
  // Its request starts service (the first start ends the query's wait).
  void request_started(std::uint32_t slot, double now);
  // Its request holds `cores` cores of its server from `core` on, from `start` to `end` (starts it,
  // and tells observers).
  void request_placed(std::uint32_t slot, int core, int cores, double start, double end) {
    request_started(slot, start);
    if (observers_.empty()) return;
    const Record& r = records_[slot];
    const RequestSpan span{r.id, r.server, r.group, core, start, end, cores};
    for (QueryObserver* o : observers_) o->cpu_request(span);
  }
  // One GPU stage of it (QueryObserver::gpu_stage) ran on GPU `gpu` of its server from `start` to `end`.
  void gpu_stage(std::uint32_t slot, int gpu, int stage, double start, double end) {
    if (observers_.empty()) return;
    const Record& r = records_[slot];
    const GpuStageSpan span{r.id, r.server, r.group, gpu, stage, start, end};
    for (QueryObserver* o : observers_) o->gpu_stage(span);
  }
  // Failures (sim/failures/failure_injector.h). The query's attempt at its server ended (its server
  // failed, or it reached one that is down): its outstanding requests are forgotten. Returns how
  // many times it was re-issued before.
  int abort(std::uint32_t slot) {
    records_[slot].remaining = 0;
    return records_[slot].retries;
  }
  // It is re-issued at `now` (counted; observers hear it).
  void retry(std::uint32_t slot, double now);
  // It leaves the system at `now` without completing (counted; observers hear it).
  void lose(std::uint32_t slot, double now);
  // Time [from, to) of one of its requests on `cores` cores, announced by request_placed, was not used.
  void request_cut(std::uint32_t slot, double from, double to, int cores) {
    for (QueryObserver* o : observers_) o->cpu_request_cut(records_[slot].server, records_[slot].group, from, to, cores);
  }
  void server_state(int server, int group, double now, bool up, bool powered) {
    for (QueryObserver* o : observers_) o->server_state(server, group, now, up, powered);
  }
  std::uint64_t lost() const { return lost_; }
  std::uint64_t lost_measured() const { return lost_measured_; }
  std::uint64_t retries() const { return retries_; }

  // `observer` hears every query and request from now on (it outlives the run).
  void observe(QueryObserver& observer) { observers_.push_back(&observer); }
  // Its record will be read soon (a completion found on a cold server): starts fetching it.
  void prefetch(std::uint32_t slot) const {
    const char* p = reinterpret_cast<const char*>(&records_[slot]);
    __builtin_prefetch(p);
    __builtin_prefetch(p + sizeof(Record) - 1);
  }
  // Its request finishes; true when that was the query's last request.
  bool request_finished(std::uint32_t slot, double now);
  // Called at the start of every request_finished with its time, from now on (a drain of listed
  // completions that delivers those due by then first: CompletionFlusher::drain).
  void before_finish(std::function<void(double)> callback) { before_finish_ = std::move(callback); }
  // Its response reached the frontend (after a departure handler).
  void complete(std::uint32_t slot, double now);
  // Called when a query's last request finishes, instead of completing it at once.
  void on_departure(std::function<void(std::uint32_t slot, double now)> handler) { on_departure_ = std::move(handler); }

  std::uint64_t in_flight() const { return in_flight_; }
  bool measured(std::uint32_t slot) const { return records_[slot].measured; }
  int model(std::uint32_t slot) const { return records_[slot].model; }
  int size(std::uint32_t slot) const { return records_[slot].size; }
  std::size_t server(std::uint32_t slot) const { return static_cast<std::size_t>(records_[slot].server); }
  const RunMetrics& metrics() const { return metrics_; }
  // The per-model observer (format 2), or null.
  const FleetMetrics* fleet() const { return fleet_; }
  // See RunMetrics::expect.
  void expect_measured(std::uint64_t n) { metrics_.expect(n); }
  // Time integral of the number of queries in the system since the measurement window opened,
  // up to `now` (for Little's law: its mean over the window is L). O(queries in flight).
  double in_system_area(double now) const;
  std::uint64_t arrived() const { return arrived_; }
  std::uint64_t completed() const { return completed_; }
  // Called whenever the system becomes empty (no query in flight).
  void on_empty(std::function<void()> callback) { on_empty_ = std::move(callback); }
  // Called whenever a query completes, with the time and its latency.
  void on_complete(std::function<void(double, double)> callback) { on_complete_ = std::move(callback); }

 private:
  struct Record {
    std::uint64_t id = 0;  // arrival index
    double arrival = 0.0;
    double reissued = 0.0;
    double at_server = 0.0;
    double first_start = -1.0;
    double departure = 0.0;
    int remaining = 0;
    int model = 0;
    int size = 0;
    int group = 0;
    int server = 0;
    int retries = 0;
    bool measured = false;
    bool open = false;
  };
  RunMetrics& metrics_;
  FleetMetrics* fleet_;
  std::vector<Record> records_;
  std::vector<std::uint32_t> free_;
  // The time in the window of a query from `arrival` to `until` (completions may be delivered out
  // of time order, so the integral is summed per query, not swept in time).
  double in_window(double arrival, double until) const;
  // Removes a query that left the system (completed or lost) at `now`.
  void release(std::uint32_t slot, double now);
  std::uint64_t in_flight_ = 0, arrived_ = 0, completed_ = 0;
  std::uint64_t lost_ = 0, lost_measured_ = 0, retries_ = 0;
  long double area_ = 0.0L;
  std::function<void()> on_empty_;
  std::function<void(double, double)> on_complete_;
  std::function<void(double)> before_finish_;
  std::function<void(std::uint32_t, double)> on_departure_;
  std::vector<QueryObserver*> observers_;
};

}  // namespace recsim
