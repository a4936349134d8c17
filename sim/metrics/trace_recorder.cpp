#include "sim/metrics/trace_recorder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <utility>

namespace recsim {
namespace {

const char* const kParts[] = {"retry", "request network", "queue", "service", "response network"};
const char* const kStages[] = {"upload", "kernels", "download"};
// Server state codes: serving, down and powered (cut off, booting), down and unpowered.
const char* const kStates[] = {"up", "down (powered: cut off or booting)", "down (unpowered: failed or off)"};

// "q123" (built by appending: GCC 12 warns falsely on `"q" + std::to_string(n)` at -O3).
std::string query_label(const char* prefix, std::uint64_t query) {
  std::string s(prefix);
  s += std::to_string(query);
  return s;
}

}  // namespace

TraceRecorder::TraceRecorder(const Fleet& fleet, TraceOptions options) : fleet_(fleet), options_(options) {}

void TraceRecorder::add(const Event& e) {
  if (events_.size() + states_.size() >= kMaxEvents) {
    truncated_ = true;
    return;
  }
  events_.push_back(e);
}

void TraceRecorder::arrived(std::uint64_t query, double now, int) {
  if (!started_ && now >= options_.from_s) {
    started_ = true;
    first_ = query;
  }
}

void TraceRecorder::completed(std::uint64_t query, const QueryTimes& t, int model, int, int server) {
  if (!traced(query)) return;
  add({t.arrival, t.completion, query, -1, 0, model, Kind::query});
  const double bounds[] = {t.arrival, t.reissued, t.at_server, std::max(t.at_server, t.first_start), t.departure, t.completion};
  for (int p = 0; p < 5; ++p)
    if (bounds[p + 1] > bounds[p]) add({bounds[p], bounds[p + 1], query, server, 0, p, Kind::part});
  ++done_;
  last_ = std::max(last_, t.completion);
}

void TraceRecorder::cpu_request(const RequestSpan& r) {
  if (traced(r.query)) add({r.start, r.end, r.query, r.server, r.core, 0, Kind::request});
}

void TraceRecorder::gpu_stage(const GpuStageSpan& s) {
  if (traced(s.query)) add({s.start, s.end, s.query, s.server, kGpuThreads + 3 * s.gpu + s.stage, s.stage, Kind::gpu});
}

void TraceRecorder::lost(std::uint64_t query, double arrival, double now, int model, bool) {
  if (!traced(query)) return;
  add({arrival, now, query, -1, 0, model, Kind::lost});
  ++done_;
  last_ = std::max(last_, now);
}

void TraceRecorder::retried(std::uint64_t query, double now, int) {
  if (traced(query)) add({now, now, query, -1, 0, 0, Kind::retry});
}

void TraceRecorder::server_state(int server, int, double now, bool up, bool powered) {
  if (done_ >= options_.queries && now > last_) return;  // past the traced queries
  if (events_.size() + states_.size() >= kMaxEvents) {
    truncated_ = true;
    return;
  }
  states_.push_back({now, now, 0, server, 0, up ? 0 : (powered ? 1 : 2), Kind::state});
}

std::string TraceRecorder::server_name(int server) const {
  int first = 0;
  for (const auto& g : fleet_.groups) {
    if (server < first + g.count) return g.name + "-" + std::to_string(server - first);
    first += g.count;
  }
  return "server " + std::to_string(server);
}

std::string TraceRecorder::json(const std::string& scenario, std::uint64_t seed) const {
  using json = nlohmann::ordered_json;
  const double begin = started_ ? options_.from_s : 0.0;
  const double end = done_ > 0 ? last_ : begin;
  json events = json::array();
  std::set<int> servers;
  std::set<std::pair<int, int>> threads;
  const auto us = [](double seconds) { return seconds * 1e6; };
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 0}, {"tid", 0}, {"args", {{"name", "frontend (queries)"}}}});
  for (const Event& e : events_) {
    const int pid = e.server + 1;
    switch (e.kind) {
      case Kind::query: {
        const std::string name = fleet_.models[static_cast<std::size_t>(e.detail)].name;
        const std::string id = std::to_string(e.query);
        events.push_back({{"name", name}, {"cat", "query"}, {"ph", "b"}, {"ts", us(e.start)}, {"pid", 0}, {"tid", 0}, {"id", id},
                          {"args", {{"query", e.query}}}});
        events.push_back({{"name", name}, {"cat", "query"}, {"ph", "e"}, {"ts", us(e.end)}, {"pid", 0}, {"tid", 0}, {"id", id}});
        break;
      }
      case Kind::part: {
        const std::string id = std::to_string(e.query);
        const char* name = kParts[e.detail];
        json args = {{"server", server_name(e.server)}};
        events.push_back({{"name", name}, {"cat", "query"}, {"ph", "b"}, {"ts", us(e.start)}, {"pid", 0}, {"tid", 0}, {"id", id}, {"args", args}});
        events.push_back({{"name", name}, {"cat", "query"}, {"ph", "e"}, {"ts", us(e.end)}, {"pid", 0}, {"tid", 0}, {"id", id}});
        break;
      }
      case Kind::request:
      case Kind::gpu:
        servers.insert(e.server);
        threads.insert({e.server, e.thread});
        events.push_back({{"name", query_label("q", e.query)},
                          {"cat", e.kind == Kind::request ? "request" : "gpu"},
                          {"ph", "X"},
                          {"ts", us(e.start)},
                          {"dur", us(e.end - e.start)},
                          {"pid", pid},
                          {"tid", e.thread},
                          {"args", {{"query", e.query}}}});
        break;
      case Kind::retry:
        events.push_back({{"name", query_label("re-issue q", e.query)}, {"cat", "failure"}, {"ph", "i"}, {"ts", us(e.start)},
                          {"pid", 0}, {"tid", 0}, {"s", "t"}, {"args", {{"query", e.query}}}});
        break;
      case Kind::lost: {
        const std::string id = std::to_string(e.query);
        events.push_back({{"name", "lost"}, {"cat", "query"}, {"ph", "b"}, {"ts", us(e.start)}, {"pid", 0}, {"tid", 0}, {"id", id},
                          {"args", {{"query", e.query}}}});
        events.push_back({{"name", "lost"}, {"cat", "query"}, {"ph", "e"}, {"ts", us(e.end)}, {"pid", 0}, {"tid", 0}, {"id", id}});
        break;
      }
      case Kind::state: break;
    }
  }
  for (const Event& e : states_) {
    if (e.start < begin || e.start > end) continue;
    servers.insert(e.server);
    events.push_back({{"name", kStates[e.detail]}, {"cat", "server"}, {"ph", "i"}, {"ts", us(e.start)}, {"pid", e.server + 1},
                      {"tid", 0}, {"s", "p"}});
  }
  for (int s : servers)
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", s + 1}, {"tid", 0}, {"args", {{"name", server_name(s)}}}});
  for (const auto& [s, t] : threads) {
    std::string name = t >= kGpuThreads ? "gpu" : "core ";
    name += std::to_string(t >= kGpuThreads ? (t - kGpuThreads) / 3 : t);
    if (t >= kGpuThreads) name.append(" ").append(kStages[(t - kGpuThreads) % 3]);
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", s + 1}, {"tid", t}, {"args", {{"name", name}}}});
  }
  json doc = {{"traceEvents", events},
              {"displayTimeUnit", "ms"},
              {"otherData",
               {{"scenario", scenario},
                {"seed", std::to_string(seed)},
                {"time", "virtual microseconds"},
                {"traced_queries", done_},
                {"from_s", options_.from_s},
                {"truncated", truncated_ ? "yes: more than 2,000,000 events" : "no"}}}};
  return doc.dump() + "\n";
}

}  // namespace recsim
