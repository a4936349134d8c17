#pragma once
// Service-time models: how long one core takes to serve one request of `items` items.
//   exponential   — i.i.d. exponential times with a given mean, whatever the batch (queueing checks)
//   deterministic — a constant time per request, whatever the batch
//   table         — a latency-vs-batch LatencyCurve (kernels/profiles), deterministic per batch size
//   model         — a calibrated profile's curve for one model, with its contention curve: a request
//                   that starts while other cores are busy is slowed by the measured all-busy /
//                   alone ratio at its batch size, scaled by the fraction of other cores busy; one
//                   that finds its core idle by the measured after-idle / back-to-back ratio at the
//                   pause it found (interpolated in log pause between the gaps measured), and the
//                   requests after it on that core by the measured second run's ratio, decaying
//                   geometrically; one of a size its core has not run among its last
//                   kWarmSizeRequests requests by the measured cold-size / back-to-back ratio;
//                   each request by its own factor, drawn from the measured within-pass spread of
//                   one run at its size (sim/service/run_variation.h).
//                   With several contention levels measured (k instances at once), the slowdown is
//                   interpolated by the number of other cores busy through the levels' ratios
//                   (k - 1 others busy at level k); a server larger than the top level stretches the
//                   measured range over its cores (the top level standing for all of them busy).
#include "kernels/profiles/latency_curve.h"
#include "sim/service/service_spec.h"
#include "workloads/random_stream.h"

#include <memory>
#include <optional>

namespace recsim {

class ServiceTimeModel {
 public:
  virtual ~ServiceTimeModel() = default;
  // One draw of the service time, in seconds, of a request of `items` items.
  virtual double sample_seconds(int items, Rng& rng) const = 0;
  // The mean service time, in seconds, of a request of `items` items.
  virtual double mean_seconds(int items) const = 0;
  // Slowdown of a request that starts while a fraction `others_busy` in [0, 1] of the other cores of
  // its server of `cores` cores are busy (memory-bandwidth and cache contention). 1 unless the model
  // measured it.
  virtual double contention_factor(int /*items*/, double /*others_busy*/, int /*cores*/) const { return 1.0; }
  // Whether contention_factor can differ from 1 (else the busy cores need not be counted).
  virtual bool contended() const { return false; }
  // A request of `items` items that finds its core idle since `idle_seconds` (the thread's wake-up,
  // caches cooled by the pause): its own slowdown, `first`; the next request on the core, if it
  // follows without a pause, is slowed by `next`, and each later one of that busy period by an
  // excess over 1 that shrinks by `decay` per request. No slowdown unless the model measured it.
  struct AfterIdle {
    double first = 1.0;
    double next = 1.0;
    double decay = 0.0;
  };
  virtual AfterIdle after_idle(int /*items*/, double /*idle_seconds*/) const { return {}; }
  // Slowdown of a request of a size (or model) its core has not run lately: other sizes' primitives
  // and buffers in the caches. 1 unless the model measured it.
  virtual double cold_size_factor(int /*items*/) const { return 1.0; }
  // Whether after_idle or cold_size_factor can differ from 1 (else what a core served before need
  // not be tracked).
  virtual bool history_dependent() const { return false; }
};

// The largest decay of the after-idle excess per request: the excess at least halves every 7
// requests, whatever noise the two measured runs carry.
constexpr double kMaxAfterIdleDecay = 0.9;
// A size is cold on a core that has not run it among its last this many requests. The calibration
// measures a size cold after dozens of other sizes (recsim calibrate: every size up to 64 in a
// shuffled mixture, each right after a run of 64); a mixture of the 12 sizes of the ladder up to
// 64 left them warm (NCF +1% to +10%, where the served remainder sizes took 1.5 to 2.7 times their
// back-to-back time: docs/validation.md).
constexpr int kWarmSizeRequests = 12;

std::unique_ptr<ServiceTimeModel> make_exponential_service(double mean_seconds);
std::unique_ptr<ServiceTimeModel> make_deterministic_service(double seconds);
std::unique_ptr<ServiceTimeModel> make_table_service(LatencyCurve curve);
// `all_busy`: the top contention level, measured with `all_busy_instances` at once; `levels`: the
// lower ones (instances, curve), increasing.
std::unique_ptr<ServiceTimeModel> make_profiled_service(LatencyCurve alone, std::optional<LatencyCurve> all_busy,
                                                        std::vector<AfterIdleCurves> after_idle = {},
                                                        std::vector<std::pair<int, LatencyCurve>> levels = {},
                                                        int all_busy_instances = 2,
                                                        std::optional<LatencyCurve> cold_size = std::nullopt,
                                                        std::vector<RunSpreadPoint> run_spread = {});
// The spec's service-time model for requests run with `threads` intra-op threads (above 1: the
// spec's curve for that many, which must exist: the parser checks; sim/service/threaded_service.h).
std::unique_ptr<ServiceTimeModel> make_service_model(const ServiceSpec& spec, int threads = 1);
// The spec's curve for `threads` intra-op threads, or null where it has none.
const LatencyCurve* intra_op_thread_curve(const ServiceSpec& spec, int threads);

}  // namespace recsim
