#pragma once
// The offered load of a run's servers and GPUs (their work inside the measurement window over their
// capacity for the arrival span): the capacity search's runtime overload check, and the bounds of a
// finished run that tell the search where saturation is (RunResults::offered_bounds).
#include "sim/engine/gpu_device.h"
#include "sim/engine/server.h"
#include "sim/metrics/measurement_window.h"
#include "sim/metrics/run_results.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

// Checked every few thousand measured queries (LoadGenerator::stop_when_overloaded): a reason when a
// server's or GPU's offered load so far exceeds 1 by more than its sampling noise and never by less
// than 5%; empty otherwise. The noise is the standard deviation of its work sum as a compound
// Poisson process (the square root of the sum of each query's work squared, so heavy-tailed sizes
// widen it), times 4 + sqrt(2 ln n) over n servers and GPUs (the maximum of n sums). The rate is
// then saturated, whatever the rest of the run would show.
std::function<std::string(double now, std::uint64_t measured)> make_overload_check(
    const MeasurementWindow& window, const std::vector<std::unique_ptr<Server>>& servers,
    const std::vector<std::unique_ptr<GpuDevice>>& gpus);

// The verdict of a finished run (RunResults::saturated; empty: not saturated): a group of servers
// whose offered load together is >= 1, or a server or GPU whose offered load is >= 1 + sqrt(2 ln n)
// of its standard deviations over n servers and GPUs (the compound-Poisson noise of its work sum):
// alone (n = 1) exactly >= 1; in a fleet, where the largest of many noisy sums lies that far above
// their mean, only a load beyond that noise.
std::string overload_verdict(const std::vector<std::unique_ptr<Server>>& servers, const std::vector<std::unique_ptr<GpuDevice>>& gpus,
                             double arrival_span);

// The highest offered load at the requests' times alone and with every other core busy over the
// servers and the GPUs that are their server's only one (several GPUs of a server share its offloaded
// queries by their queues, so a lone GPU's share alone is fixed). `gpu_server`: each GPU's server.
RunResults::OfferedBounds offered_bounds(const std::vector<std::unique_ptr<Server>>& servers,
                                         const std::vector<std::unique_ptr<GpuDevice>>& gpus,
                                         const std::vector<std::size_t>& gpu_server, double arrival_span);

}  // namespace recsim
