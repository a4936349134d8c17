#pragma once
// The queries in the system: a fixed pool of records reused as queries complete (memory bounded by
// the number in flight), request counting (a query completes with its last request), and the
// hand-off of completed queries to the run's metrics.
#include "sim/metrics/run_metrics.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace recsim {

class QueryTracker {
 public:
  explicit QueryTracker(RunMetrics& metrics) : metrics_(metrics) {}

  // A query arrives at `now` and will be served as `requests` requests. Returns its slot.
  std::uint32_t open(double now, int requests, bool measured);
  // Its request starts service (the first start ends the query's wait).
  void request_started(std::uint32_t slot, double now);
  // Its request finishes; true when that was the query's last request.
  bool request_finished(std::uint32_t slot, double now);

  std::uint64_t in_flight() const { return in_flight_; }
  bool measured(std::uint32_t slot) const { return records_[slot].measured; }
  const RunMetrics& metrics() const { return metrics_; }
  // See RunMetrics::expect.
  void expect_measured(std::uint64_t n) { metrics_.expect(n); }
  // Time integral of the number of queries in the system since the measurement window opened,
  // up to `now` (for Little's law: its mean over the window is L).
  double in_system_area(double now) const;
  std::uint64_t arrived() const { return arrived_; }
  std::uint64_t completed() const { return completed_; }
  // Called whenever the system becomes empty (no query in flight).
  void on_empty(std::function<void()> callback) { on_empty_ = std::move(callback); }
  // Called whenever a query completes, with the time and its latency.
  void on_complete(std::function<void(double, double)> callback) { on_complete_ = std::move(callback); }

 private:
  struct Record {
    double arrival = 0.0;
    double first_start = -1.0;
    int remaining = 0;
    bool measured = false;
  };
  RunMetrics& metrics_;
  std::vector<Record> records_;
  std::vector<std::uint32_t> free_;
  void advance_area(double now);
  std::uint64_t in_flight_ = 0, arrived_ = 0, completed_ = 0;
  double area_ = 0.0, area_time_ = 0.0;
  std::function<void()> on_empty_;
  std::function<void(double, double)> on_complete_;
};

}  // namespace recsim
