#pragma once
// A request run with T intra-op threads (scheduler.intra_op_threads): the model's one-thread
// service, each draw scaled by S_T(b) / S_1(b), the profile's T-thread curve over its alone curve at
// the request's size b. Its median is then the T-thread curve's, with one thread's relative spread
// (run_spread) around it; contention, after-idle and cold-size factors are one thread's ratios, as
// measured (the calibration times T threads alone only: docs/calibration.md).
#include "kernels/profiles/latency_curve.h"
#include "sim/service/service_time_model.h"

#include <memory>

namespace recsim {

std::unique_ptr<ServiceTimeModel> make_threaded_service(std::unique_ptr<ServiceTimeModel> one_thread, LatencyCurve alone,
                                                        LatencyCurve threaded);

}  // namespace recsim
