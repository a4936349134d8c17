#pragma once
// The service-time model checked request by request against real serving: each worker's requests,
// in the order it served them, replayed through the simulator's own per-core history
// (sim/service/core_history.h) and contention rule, so that each real request gets the time the
// simulator would give it in the same situation — the pause it found its core idle for, the sizes
// its core ran before it, the other cores busy at its start — beside the time it took. A request's
// real time is the simulator's service time: from when its core could take it (its queuing, or
// the end of the core's previous request, whichever is later) to its end, so the wake-up of a
// worker that waited and the hand-over through the queue count, as the simulator counts them.
//
// The totals say how far the service-time model is from serving on this machine; the groups say
// where: requests that found their core idle against those queued behind another, sizes the core
// ran lately (warm) against sizes it had not (cold). `recsim validate` reports them beside each
// load (docs/validation.md).
#include "sim/serving/real_server.h"
#include "sim/service/service_time_model.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

namespace recsim {

struct ServiceCheckGroup {
  std::uint64_t requests = 0;
  double real_seconds = 0.0;   // summed
  double model_seconds = 0.0;  // summed
  double log_ratio = 0.0;      // summed ln(real / model) of each request
  double log_ratio_sq = 0.0;   // summed squares
  double real_mean_ms() const { return requests ? real_seconds / static_cast<double>(requests) * 1e3 : 0.0; }
  double model_mean_ms() const { return requests ? model_seconds / static_cast<double>(requests) * 1e3 : 0.0; }
  // (model - real) / real: negative where the model is faster than serving.
  double error() const { return real_seconds > 0 ? (model_seconds - real_seconds) / real_seconds : 0.0; }
  // The standard deviation of ln(real / model) over the group's requests: how much one request's
  // time varies around the model's mean for it (0 with fewer than two).
  double spread() const {
    if (requests < 2) return 0.0;
    const double n = static_cast<double>(requests), m = log_ratio / n;
    return std::sqrt(std::max(0.0, (log_ratio_sq - n * m * m) / (n - 1)));
  }
  void add(const ServiceCheckGroup& other) {
    requests += other.requests;
    real_seconds += other.real_seconds;
    model_seconds += other.model_seconds;
    log_ratio += other.log_ratio;
    log_ratio_sq += other.log_ratio_sq;
  }
};

struct ServiceCheck {
  ServiceCheckGroup all;
  ServiceCheckGroup idle_warm;  // found their core idle, a size it ran lately
  ServiceCheckGroup idle_cold;  // found their core idle, a size it had not run lately
  ServiceCheckGroup busy_warm;  // queued behind another request on their core, a size it ran lately
  ServiceCheckGroup busy_cold;
};

// Whether the machine ran at another speed during the load than when the profile was measured,
// whatever the model, on either of two pieces of evidence:
// - every group of at least `min_requests` requests (found idle, queued warm, queued cold; at
//   least two such groups) is off by more than `threshold` in the same direction (the groups are
//   modelled by different curves, so one model error would not move them all alike);
// - `reference_change`, the profile's own point timed again the calibration's way just before the
//   load, against the profile ((now - then) / then), moved by more than `threshold`, and the two
//   groups that carry most of the time (found idle, queued warm; each of at least `min_requests`)
//   are off by more than `threshold` the way it moved (slower now: the model too fast). The cold
//   group is left out of this one: its own model error (docs/validation.md) must not hide a move
//   that the reference timing saw.
// The smallest of the errors concerned (the machine's move, as (model - real) / real) and which
// evidence showed it, or nothing.
struct MachineShift {
  double model_error = 0.0;
  bool by_reference = false;  // the second piece of evidence (the first did not hold)
};
std::optional<MachineShift> machine_shift(const ServiceCheck& check, std::optional<double> reference_change = std::nullopt,
                                          double threshold = 0.10, std::uint64_t min_requests = 100);

// One request as served, beside the time the model gives it in its situation.
struct CheckedRequest {
  std::uint32_t query = 0;
  int items = 0;
  double queued = 0.0;  // when the generator queued it (its query's hand-over), seconds since serving started
  double taken = 0.0;   // its time on its core (from its queuing or the core's previous end to its end)
  double model = 0.0;   // the service-time model's mean time for it in the same situation
  bool found_idle = false;
  bool cold_size = false;
  // Its service-check group: 0 queued warm, 1 queued cold, 2 found idle warm, 3 found idle cold.
  int group() const { return 2 * found_idle + cold_size; }
};

// Every request of `real` (the warm-up queries' too), served on `cores` cores, against `service`
// (one model): each worker's requests in the order it served them, worker after worker. Every
// request passes through its core's history, as in the simulation.
std::vector<CheckedRequest> checked_requests(const RealServingResult& real, const ServiceTimeModel& service, int cores);

// The measured queries' requests (query index >= warmup_queries) summed by group.
ServiceCheck check_service(const std::vector<CheckedRequest>& requests, std::uint64_t warmup_queries);
inline ServiceCheck check_service(const RealServingResult& real, const ServiceTimeModel& service, std::uint64_t warmup_queries, int cores) {
  return check_service(checked_requests(real, service, cores), warmup_queries);
}

}  // namespace recsim
