#pragma once
// What a scenario will cost before it runs, and whether this machine can afford it: a small input
// must not start hours of work or exhaust memory. Estimated from the scenario alone:
//   - memory: SimGrid's actors (the load generator, the completion flusher, the network's delivery actor,
//     each GPU stage, cache and update actor: a 64 KiB stack, about 56 KiB of it resident:
//     measured), the simulated cores (their free times, no actor each), its hosts and the full
//     routing table of the platform's zone (8 bytes per pair of hosts), the latency histograms (one
//     set per model in format 2, one per server group), the GPU embedding caches, and the queries
//     in flight;
//   - work: simulated requests (queries × the mean requests per query at the configured batch size)
//     and periodic events (update polls, refresh passes, update keys applied) over the run's virtual
//     duration (queries / rate, or the trace's span).
// check_resources refuses, with one line naming the largest contributor's key, a scenario whose
// memory exceeds what this machine has available (MemAvailable, and the cgroup's limit when lower),
// or whose work exceeds fixed bounds (1e10 requests, 1e9 periodic events: hours of simulation).
// `allow_large` (the commands' --allow-large) lifts these for big machines and long runs; what no
// machine can do (more periodic ticks than double-precision virtual time can tell apart) is
// refused always.
#include "sim/scenario/scenario.h"

#include <string>

namespace recsim {

struct ResourceEstimate {
  double memory_bytes = 0;
  double actor_bytes = 0, routing_bytes = 0, cache_bytes = 0, in_flight_bytes = 0;  // parts of memory_bytes
  double core_bytes = 0, histogram_bytes = 0;                                       // ... also
  double simulated_cores = 0;
  double actors = 0;
  double requests = 0;         // simulated requests over the run
  double virtual_seconds = 0;  // the run's expected virtual duration
  double periodic_events = 0;  // update polls, refresh passes and update keys applied
  double max_ticks = 0;        // the most periodic ticks of one actor
};

ResourceEstimate estimate_resources(const Scenario& s);

// Bytes of the GPU embedding caches of all GPUs (key mode; 0 without a cache or in analytic mode).
double embedding_cache_bytes(const Scenario& s);

// Memory this process may use: MemAvailable, or the cgroup's limit if lower.
double available_memory_bytes();

// Throws InputError (exit 2) when the estimate exceeds this machine or the fixed work bounds.
void check_resources(const Scenario& s, bool allow_large);

}  // namespace recsim
