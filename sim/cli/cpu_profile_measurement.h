#pragma once
// The CPU calibration of `recsim calibrate --device cpu` as a function, for the commands that
// calibrate on the way (`recsim validate`): the models' latency profile with its provenance.
#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/model/model_spec.h"
#include "kernels/profiles/latency_profile.h"

#include <string>
#include <vector>

namespace recsim {

// Measures each model (progress on stderr unless quiet) with oneDNN's ISA capped at `isa` ("all":
// no cap), recording the machine, the libraries and `command_line` in the provenance.
LatencyProfile measure_cpu_profile(const std::vector<ModelSpec>& specs, const CpuCalibrationOptions& options, const std::string& isa,
                                   const std::string& command_line, bool quiet);
// Writes a profile as `recsim calibrate --out` does (atomically; "": stdout).
void write_latency_profile(const LatencyProfile& profile, const std::string& path);

}  // namespace recsim
