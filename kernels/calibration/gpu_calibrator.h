#pragma once
// GPU calibration: runs a model's CUDA kernels at each batch size and records the latency
// distribution end to end (inputs in, outputs out, synchronised) and its parts: the input copy,
// the compute alone and the output copy.
#include "kernels/model/model_inputs.h"
#include "kernels/model/model_spec.h"
#include "kernels/profiles/latency_profile.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace recsim {

struct GpuCalibrationOptions {
  std::vector<int> batches;          // batch sizes to measure
  int repeats = 7;                   // minimum timed runs per batch size
  double min_seconds = 0.03;         // ... and at least this much timed work per batch size
  int max_repeats = 200;
  int warmup = 3;                    // untimed runs first (the first one also uploads the weights)
  double max_table_bytes = 8e9;      // tables are shrunk (rows_scale) to fit
  KeyPopularity keys{KeyPopularity::Kind::power_law, 1.05};
  std::uint64_t seed = 1;
};

// Measures one model on CUDA device 0: ModelLatency::single (end to end, host clock), kernel_only
// (device time of ModelForward::compute), upload and download (device time of the copies).
// `progress` is told each finished batch size. Throws std::runtime_error without a CUDA device.
ModelLatency calibrate_gpu_model(const ModelSpec& spec, const GpuCalibrationOptions& options,
                                 const std::function<void(const std::string&)>& progress);

}  // namespace recsim
