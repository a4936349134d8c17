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
// server's or GPU's offered load so far exceeds 1 by more than its sampling noise (4 standard
// deviations of a work sum over the queries per server whose sizes vary, coefficient of variation
// below 1, and never less than 5%); empty otherwise. The rate is then saturated, whatever the rest
// of the run would show.
std::function<std::string(double now, std::uint64_t measured)> make_overload_check(
    const MeasurementWindow& window, const std::vector<std::unique_ptr<Server>>& servers,
    const std::vector<std::unique_ptr<GpuDevice>>& gpus);

// The highest offered load at the requests' times alone and with every other core busy over the
// servers and the GPUs that are their server's only one (several GPUs of a server share its offloaded
// queries by their queues, so a lone GPU's share alone is fixed). `gpu_server`: each GPU's server.
RunResults::OfferedBounds offered_bounds(const std::vector<std::unique_ptr<Server>>& servers,
                                         const std::vector<std::unique_ptr<GpuDevice>>& gpus,
                                         const std::vector<std::size_t>& gpu_server, double arrival_span);

}  // namespace recsim
