#pragma once
// A timeline of a short run in the Chrome trace event format (the JSON Perfetto and chrome://tracing
// open; docs/time.md says how): per query, an async span on the frontend from arrival to completion
// with its parts nested (request network, queue, service, response network); per server, a process
// whose threads are its cores and its GPUs' stages, each request or stage a complete event; server
// failures, repairs and scaling moves as instant events; re-issues and losses on the frontend.
// Bounded: only the first `queries` queries arriving at or after `from_s` are traced (their requests
// and stages), server events only until the last traced query is done, and at most kMaxEvents
// events in all (beyond, the trace says it was truncated).
#include "sim/metrics/query_observer.h"
#include "sim/scenario/fleet.h"

#include <cstdint>
#include <string>
#include <vector>

namespace recsim {

struct TraceOptions {
  std::uint64_t queries = 10000;
  double from_s = 0.0;
};

class TraceRecorder final : public QueryObserver {
 public:
  static constexpr std::size_t kMaxEvents = 2'000'000;
  static constexpr std::uint64_t kMaxQueries = 1'000'000;

  TraceRecorder(const Fleet& fleet, TraceOptions options);

  void arrived(std::uint64_t query, double now, int model) override;
  void completed(std::uint64_t query, const QueryTimes& t, int model, int group, int server) override;
  void cpu_request(const RequestSpan& r) override;
  void gpu_stage(const GpuStageSpan& s) override;
  void lost(std::uint64_t query, double arrival, double now, int model, bool measured) override;
  void retried(std::uint64_t query, double now, int model) override;
  void server_state(int server, int group, double now, bool up, bool powered) override;

  // The trace as JSON text ({"traceEvents": [...], "displayTimeUnit": "ms", "otherData": {...}}).
  std::string json(const std::string& scenario, std::uint64_t seed) const;
  std::size_t events() const { return events_.size(); }
  bool truncated() const { return truncated_; }

 private:
  enum class Kind : std::uint8_t { query, part, request, gpu, state, retry, lost };
  struct Event {
    double start, end;
    std::uint64_t query;
    std::int32_t server;  // -1: the frontend
    std::int32_t thread;  // core, or kGpuThreads + gpu x 3 + stage
    std::int32_t detail;  // model; part index; state code
    Kind kind;
  };
  static constexpr int kGpuThreads = 100000;
  bool traced(std::uint64_t query) const { return started_ && query >= first_ && query < first_ + options_.queries; }
  void add(const Event& e);
  std::string server_name(int server) const;

  const Fleet& fleet_;
  TraceOptions options_;
  bool started_ = false;
  std::uint64_t first_ = 0;
  std::uint64_t done_ = 0;    // traced queries completed or lost
  double last_ = 0.0;         // when the last traced query was done
  std::vector<Event> events_;
  std::vector<Event> states_;  // server events, kept until the end (filtered to the traced span)
  bool truncated_ = false;
};

}  // namespace recsim
