#pragma once
// What a scenario will cost before it runs, and whether this machine can afford it: a small input
// must not start hours of work or exhaust memory. Estimated from the scenario alone:
//   - memory: SimGrid's actors (the load generator, the completion flusher, the network's delivery actor,
//     each GPU stage, cache and update actor: a 64 KiB stack, about 56 KiB of it resident:
//     measured), the simulated cores (their free times, no actor each), its hosts and links (the
//     platform's star zone keeps each host's own links: linear in the fleet), the latency histograms (one
//     set per model in format 2, one per server group), the GPU embedding caches, and the queries
//     in flight;
//   - memory also: the requests placed at once (a query's requests are placed when it arrives: the
//     largest query a size distribution or trace can draw, and the queries in flight at their mean),
//     a key trace (held once, whatever the tables and GPUs), and the time series' windows;
//   - work: simulated requests (queries × the mean requests per query at the configured batch size),
//     embedding keys drawn (key-level caches), and periodic events (update polls, refresh passes,
//     update keys applied) over the run's virtual duration: the longest of the arrivals' span
//     (queries / rate, the trace's span, or the online climb's slowest rate), the CPUs' work at their
//     stability limit, the SSDs' block reads and the Redis link's traffic (every key a miss: an
//     upper bound).
// check_resources refuses, with one line naming the largest contributor's key, a scenario whose
// memory exceeds what this machine has available (MemAvailable, and the cgroup's limit when lower),
// or whose work exceeds fixed bounds (1e10 requests, 1e9 periodic events: hours of simulation).
// `allow_large` (the commands' --allow-large) lifts these for big machines and long runs; what no
// machine can do (more periodic ticks than double-precision virtual time can tell apart, or a run
// longer than kMaxVirtualSeconds of virtual time) is refused always.
#include "sim/scenario/scenario.h"

#include <string>

namespace recsim {

struct ResourceEstimate {
  double memory_bytes = 0;
  double actor_bytes = 0, routing_bytes = 0, cache_bytes = 0, in_flight_bytes = 0;  // parts of memory_bytes
  double core_bytes = 0, histogram_bytes = 0;                                       // ... also
  double request_bytes = 0;    // ... the requests placed at once: the largest query's, and those of the queries in flight
  double largest_query_bytes = 0;  // the largest query's part of request_bytes (its requests and drawn keys)
  double key_trace_bytes = 0;  // ... a key trace, held once (workloads/key_trace.h)
  double series_bytes = 0;     // ... the time series (run.window_s): its windows' counters and histograms
  double series_windows = 0;   // windows over the run's expected virtual duration
  double simulated_cores = 0;
  double actors = 0;
  double requests = 0;         // simulated requests over the run
  double largest_query_requests = 0;  // requests of the largest query a run can draw
  double key_lookups = 0;      // embedding keys drawn over the run (key-level cache)
  double virtual_seconds = 0;  // the run's expected virtual duration: its arrivals' span, or longer where
                               // its work takes longer on the CPUs, the SSDs or the Redis link
  std::string virtual_seconds_key;  // the scenario key that sets it
  double periodic_events = 0;  // update polls, refresh passes, update keys applied and the arrivals' own events
  double arrival_events = 0;   // of which the arrival process's (a burst schedule's state changes)
  double failure_events = 0;   // ... and random failures' and repairs
  double scheduled_failure_events = 0;  // ... and scheduled failures' and ends (an event per server each way)
  double max_ticks = 0;        // the most periodic ticks of one actor
  // The parameter server's keys that set max_ticks and the most periodic events among the caches'
  // (e.g. "models.1.service.embedding_cache.updates.tick_ms"); empty without a cache.
  std::string cache_ticks_key, cache_events_key;
};

// The lowest rate a capacity search tries, as a fraction of its starting rate.
inline constexpr double kLowestRateFraction = 1e-6;

// More time-series windows than this are refused always (run.window_s).
constexpr double kMaxSeriesWindows = 1e7;

// Virtual time beyond this no longer resolves a latency to 0.12 µs (double precision): refused.
constexpr double kMaxVirtualSeconds = 1e9;

ResourceEstimate estimate_resources(const Scenario& s);

// Bytes of the GPU embedding caches of all GPUs (key mode; 0 without a cache or in analytic mode).
double embedding_cache_bytes(const Scenario& s);


// Throws InputError (exit 2) when the estimate exceeds this machine or the fixed work bounds.
void check_resources(const Scenario& s, bool allow_large);

// The lowest arrival rate a capacity search of `s` may try: a millionth of its rate, or, where that
// is higher, the rate at which its run would reach a limit check_resources(s, allow_large) holds
// runs to (virtual duration, periodic ticks, and without allow_large periodic events): a search's
// slow runs are bounded as any run is.
double lowest_searchable_qps(const Scenario& s, bool allow_large);

}  // namespace recsim
