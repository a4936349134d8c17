#pragma once
// Fits the roofline model's efficiencies (kernels/analytic/gpu_efficiencies.h) to published
// measurements of real GPUs (kernels/gpus/published-gpu-measurements.json, format in
// docs/calibration.md): GPU-over-CPU speed-ups, the share of GPU time spent in transfers, and
// absolute latencies. The model of each measurement is the roofline trace of the named model's
// forward pass at the named batch size on the named GPU (kernels/gpus/*.json); a speed-up divides
// the CPU profile's single-core median by it.
//
// Each measurement names its software stack (a framework and its way of feeding the GPU). The
// kernels' efficiencies (GEMM, streaming, gather) are shared by all stacks; the PCIe efficiency, the
// per-kernel and the per-copy overheads are the stack's own. The file names the stack whose values
// the efficiencies file carries (`profile_stack`).
//
// The objective is the sum over the measurements marked "fit" of squared log errors (for a range,
// the log distance to the nearer end, zero inside it). Every parameter is searched in log space
// within bounds (efficiencies in [0.001, 1], overheads in [0.1, 1000] us): cyclic coordinate
// descent, each coordinate minimised by Brent's method (Boost.Math), from 64 deterministic starts;
// the best end point wins. Measurements marked "check" are predicted and reported, not fitted.
#include "kernels/analytic/gpu_efficiencies.h"
#include "kernels/analytic/roofline_ops.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace recsim {

struct GpuMeasurement {
  enum class What { speedup_over_cpu, transfer_share, latency_ms } what = What::latency_ms;
  std::string gpu, model, stack;
  int batch = 1;
  double value = 0;            // a single published value, or 0 with a range
  double min = 0, max = 0;     // a published range (min < max), or both 0
  bool fit = true;             // "use": "fit" or "check"
  std::string why;             // "check": why the point is not fitted
  std::string source;
  double cpu_ms = 0;           // speed-ups: the CPU profile's median at `batch`
  std::vector<RooflineStep> trace;
};

struct GpuFitTargets {
  std::string path;
  std::string cpu_profile;  // as written in the file
  std::map<std::string, GpuSpec> gpus;
  std::vector<std::string> stacks;  // in order of first use
  std::string profile_stack;        // whose values the efficiencies file carries
  std::string profile_stack_why;
  std::vector<GpuMeasurement> measurements;
};

// The shipped measurements: kernels/gpus/published-gpu-measurements.json under the source tree.
std::string shipped_gpu_measurements_file();

// Reads a measurements file and builds every measurement's trace. Throws InputError naming the
// file and JSON path on invalid content (an unknown GPU or model, a batch the CPU profile lacks).
GpuFitTargets load_gpu_fit_targets(const std::string& path);

// The model's value for one measurement with efficiencies `e`.
double predict(const GpuMeasurement& m, const GpuSpec& gpu, const GpuEfficiencies& e);

struct GpuFitPoint {
  double predicted = 0;
  double error = 0;  // predicted / published - 1; for a range, relative to the nearer end (0 inside)
  double at_peaks = 0;  // the model's value at the GPU's peaks (peak_efficiencies), before any fit
};

struct GpuFitResult {
  GpuEfficiencies efficiencies;                        // the profile stack's
  std::map<std::string, GpuEfficiencies> by_stack;     // every stack's
  std::vector<GpuFitPoint> points;  // one per measurement, in file order
  double rms_log_error_fit = 0;     // over the "fit" measurements
  double rms_log_error_check = 0;   // over the "check" measurements (0 when there are none)
  long evaluations = 0;
};

GpuFitResult fit_gpu_model(const GpuFitTargets& targets);


// The "fit" block of the efficiencies file: the measurements, published against predicted.
nlohmann::ordered_json fit_report(const GpuFitTargets& targets, const GpuFitResult& result);

}  // namespace recsim
