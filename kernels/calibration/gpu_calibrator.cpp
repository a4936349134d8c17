#include "kernels/calibration/gpu_calibrator.h"

#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/calibration/drawn_inputs.h"
#include "kernels/gpu/cuda_ops.h"
#include "kernels/model/model_forward.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace recsim {
namespace {

using Clock = std::chrono::steady_clock;
// Device timings resolve to about half a microsecond; a zero reading is stored as this, since a
// profile's latencies must be positive.
constexpr double kFloorMs = 1e-6;

struct Samples {
  std::vector<double> total, upload, compute, download;
};

// One forward pass. End to end on the host clock; the parts from marks on the ops' stream around
// the upload and the compute, and the download's own copy. download() waits for its copy, so the
// pass is complete (synchronised) when it returns.
double run_once(CudaOps& ops, ModelForward& forward, const ModelInputs& in, float* out, Samples* samples) {
  const auto t0 = Clock::now();
  ops.mark(0);
  forward.upload(in);
  ops.mark(1);
  forward.compute();
  ops.mark(2);
  forward.download(out);
  const double total = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (samples) {
    samples->total.push_back(total);
    samples->upload.push_back(std::max(kFloorMs, ops.elapsed_ms(0, 1)));
    samples->compute.push_back(std::max(kFloorMs, ops.elapsed_ms(1, 2)));
    samples->download.push_back(std::max(kFloorMs, ops.last_download_ms()));
  }
  return total;
}

// Warm-up, then at least `repeats` timed runs and `min_seconds` of end-to-end time, each on a batch
// of keys no earlier run used, drawn ahead of the timed runs (drawn_inputs.h).
Samples measure(CudaOps& ops, ModelForward& forward, FreshInputs& fresh, float* out, const GpuCalibrationOptions& o) {
  Samples s;
  const ModelRun run = [&](const ModelInputs& in, bool timed) { return run_once(ops, forward, in, out, timed ? &s : nullptr); };
  const std::size_t per_batch = std::max<std::size_t>(1, fresh.next().bytes());
  time_on_drawn_inputs(run, fresh, per_batch, kInputBytes, {o.warmup, o.repeats, o.min_seconds, o.max_repeats});
  return s;
}

}  // namespace

ModelLatency calibrate_gpu_model(const ModelSpec& spec, const GpuCalibrationOptions& o,
                                 const std::function<void(const std::string&)>& progress) {
  if (o.batches.empty()) throw std::invalid_argument("GPU calibration needs at least one batch size");
  if (!cuda_device_available()) throw std::runtime_error("GPU calibration needs a CUDA device: none found");
  ModelLatency result;
  result.rows_scale = rows_scale_for(spec, o.max_table_bytes);
  const ModelWeights weights = make_model_weights(spec, result.rows_scale, o.seed);
  const int max_batch = *std::max_element(o.batches.begin(), o.batches.end());
  CudaOps ops;
  ModelForward forward(weights, ops, max_batch);
  std::vector<float> out(static_cast<std::size_t>(max_batch) * spec.outputs_per_item());
  for (std::size_t bi = 0; bi < o.batches.size(); ++bi) {
    const int batch = o.batches[bi];
    // Keys from a stream of the point's own, as in the CPU calibration.
    Rng rng = make_stream(o.seed, StreamId::keys, static_cast<std::uint32_t>(bi), std::uint64_t{0});
    FreshInputs fresh(weights, batch, o.keys, rng);
    const Samples s = measure(ops, forward, fresh, out.data(), o);
    result.single.push_back(summarise_samples(batch, s.total));
    result.kernel_only.push_back(summarise_samples(batch, s.compute));
    result.upload.push_back(summarise_samples(batch, s.upload));
    result.download.push_back(summarise_samples(batch, s.download));
    if (progress) {
      char line[200];
      std::snprintf(line, sizeof line, "%s batch %d: %.4g ms end to end (%.4g ms compute, %.4g ms in, %.4g ms out)",
                    spec.name.c_str(), batch, result.single.back().median_ms, result.kernel_only.back().median_ms,
                    result.upload.back().median_ms, result.download.back().median_ms);
      progress(line);
    }
  }
  return result;
}

}  // namespace recsim
