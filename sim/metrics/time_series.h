#pragma once
// The run's results over time: it hears every query and every request placed (a QueryObserver) and
// adds each to the windows of `window_s` virtual seconds it falls in — arrivals by arrival time,
// completions and their latencies by completion time (as a monitoring system would see them), core
// and GPU busy time and the queries' time in the system split exactly across the windows they span.
// Notifications may come out of time order (servers deliver completions lazily); every event is
// placed by its own time, so the series is the same in lazy and timely mode and for every --jobs.
// Memory: per window a few counters per group and a WindowHistogram per model, allocated as the run
// reaches the window (estimated before the run: sim/scenario/resource_estimate.h).
#include "sim/metrics/query_observer.h"
#include "sim/metrics/time_series_report.h"
#include "sim/metrics/window_histogram.h"
#include "sim/scenario/fleet.h"

#include <cstdint>
#include <vector>

namespace recsim {

class TimeSeries final : public QueryObserver {
 public:
  TimeSeries(double window_s, const Fleet& fleet);

  void arrived(std::uint64_t query, double now, int model) override;
  void completed(std::uint64_t query, const QueryTimes& t, int model, int group, int server) override;
  void cpu_request(const RequestSpan& r) override;
  void gpu_stage(const GpuStageSpan& s) override;
  void cpu_request_cut(int server, int group, double from, double to, int cores) override;
  void lost(std::uint64_t query, double arrival, double now, int model, bool measured) override;
  void retried(std::uint64_t query, double now, int model) override;
  void server_state(int server, int group, double now, bool up, bool powered) override;

  // The windows from 0 to `end` (the run's end); `measurement_start` is reported as is. Servers
  // still down count as down up to `end`.
  TimeSeriesReport report(double end, double measurement_start);


 private:
  struct Window {
    std::uint64_t arrived = 0, completed = 0, lost = 0, retried = 0;
    long double in_system_area = 0.0L;
    std::vector<double> cpu_busy, gpu_busy;  // per group, seconds
    std::vector<double> down, off;           // per group: server-seconds down, and of those failed (unpowered)
    std::vector<WindowHistogram> latency;    // per model
  };
  Window blank() const;  // a window with nothing in it yet
  static void add(Window& into, const Window& from);
  Window& at(std::size_t index);
  std::size_t index_of(double t) const;
  // Adds the part of [start, end) in each window it spans to `add(window, seconds)`.
  template <typename Add>
  void spread(double start, double end, Add add);

  // Adds server `server`'s down time from its last change to `now`, if it was down.
  void close_down(std::size_t server, double now);

  struct ServerState {
    bool up = true, powered = true;
    int group = 0;
    double since = 0.0;
  };
  double window_s_;
  const Fleet& fleet_;
  std::vector<Window> windows_;
  std::vector<ServerState> servers_;  // grown as servers change state
};

}  // namespace recsim
