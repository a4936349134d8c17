#pragma once
// The real run's queue replayed from its own requests' times (sim/serving/service_check.h), to say
// how much of its tail comes from *when* the machine was slow rather than how slow it was.
//
// In their order: each request takes the time it took on its core, through one FIFO queue that the
// first free core serves (the real server's queue and the simulator's). On one core this gives
// back the real latencies exactly (a check on the replay); on several, the order in which cores
// took requests may differ a little.
//
// Shuffled: each request takes the model's time for it in its real situation (found idle, cold,
// contended) times another measured request's deviation from the model (real / model), drawn by a
// random permutation of the deviations of its group (found idle or queued, warm or cold size, as
// the service check's groups: the model's error by group stays where it was). That keeps how much
// the requests varied (every deviation is used once) but not when: a burst of slow requests is
// spread over the run. The simulator's own variation is independent per request
// (sim/service/run_variation.h), so the shuffled replay is what it can reproduce; the rest of the
// real run's tail, the in-order replay's p95 above the shuffled ones, is the machine slowing many
// consecutive requests, which no per-request model has. `recsim validate` reports both
// (docs/validation.md).
#include "sim/serving/service_check.h"

#include <cstdint>
#include <vector>

namespace recsim {

struct OrderReplay {
  double in_order_p95_ms = 0.0;
  int draws = 0;  // shuffled replays
  double shuffled_low_ms = 0.0, shuffled_high_ms = 0.0;  // their p95's range
};

// The queue of `requests` served by `cores` cores: their order as queued (a query's requests
// together) is found once, then replayed with any times.
class QueueReplay {
 public:
  // `requests` must outlive the replay.
  QueueReplay(const std::vector<CheckedRequest>& requests, int cores, std::uint64_t warmup_queries);
  // The measured queries' (index >= warmup_queries) latency percentile `percentile`, in ms, with
  // request i taking seconds[i].
  double percentile_ms(const std::vector<double>& seconds, double percentile) const;

 private:
  const std::vector<CheckedRequest>& requests_;
  std::vector<std::size_t> order_;
  std::uint32_t queries_ = 0;
  int cores_;
  std::uint64_t warmup_queries_;
};

// The in-order replay and `draws` shuffled ones (permutations drawn from `seed`'s stream), at p95.
OrderReplay replay_in_order_and_shuffled(const std::vector<CheckedRequest>& requests, int cores, std::uint64_t warmup_queries, int draws,
                                         std::uint64_t seed);

}  // namespace recsim
