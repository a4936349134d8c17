#pragma once
// How long a request takes on a server kind (a model's `service` in docs/scenario-format.md): a
// closed-form distribution, a table by batch, or a calibrated model profile's curves (with GPUs, the
// GPU profile and the bytes a query moves; optionally HPS's embedding cache).
#include "kernels/profiles/latency_curve.h"
#include "sim/ps/embedding_cache_spec.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

class ServiceTimeModel;

struct ServiceSpec {
  std::string type;  // a service type of the registry (sim/scenario/service_registry.h)
  // A fresh service-time model of this spec: the registry's, bound to the parameters read.
  std::function<std::unique_ptr<ServiceTimeModel>(const ServiceSpec&)> make;
  // type "model": a calibrated profile's curves for one model
  std::string model;
  std::string profile_file;                       // resolved path
  std::string profile_source;                     // "measured" or "analytic"
  std::optional<LatencyCurve> curve;              // one instance alone
  std::optional<LatencyCurve> contention_curve;   // every core busy (absent: no contention model)
  // Lower contention levels measured (instances at once, curve), increasing, below profile_busy_cores.
  std::vector<std::pair<int, LatencyCurve>> contention_levels;
  int contention_instances = 2;                   // instances at once of contention_curve (the top level)
  std::vector<AfterIdleCurves> after_idle;        // requests reaching an idle core, by pause (empty: as back to back)
  std::optional<LatencyCurve> cold_size_curve; // a request after one of another size (absent: as back to back)
  std::vector<RunSpreadPoint> run_spread;         // one request's own variation by size (empty: none)
  // Requests run with T intra-op threads (T, curve), T increasing from 2 (empty: not measured).
  std::vector<std::pair<int, LatencyCurve>> intra_op_thread_curves;
  int profile_cores = 0;                          // the calibration machine's cores (0: not recorded)
  int profile_busy_cores = 0;                     // the most instances it ran at once (contention measured up to)
  std::string profile_cpu_model;                  // the calibration machine's CPU ("" if not recorded)
  // model, with GPUs: the GPU profile's kernel time for the model, and the bytes a query moves
  std::string gpu_profile_file;                   // resolved path; empty without GPUs
  std::string gpu_profile_source;                 // "measured" or "analytic"
  std::optional<LatencyCurve> gpu_curve;          // kernels alone (transfers are simulated on PCIe)
  // Each copy's fixed cost (the launch, the driver, the DMA set-up), before its bytes cross the
  // PCIe link: the GPU profile's upload and download curves at zero items (LatencyProfile::copy_fixed_ms).
  double gpu_upload_fixed_s = 0.0, gpu_download_fixed_s = 0.0;
  double input_bytes_per_item = 0.0;              // host to device: dense features and sparse indices
  double output_bytes_per_item = 0.0;             // device to host
  std::string model_file;                         // the model definition read (with GPUs)
  std::vector<std::int64_t> table_rows;           // service.table_rows, one per table; empty: the definition's
  std::optional<EmbeddingCacheSpec> embedding_cache;  // with GPUs: HPS's GPU cache and lower tiers
};

}  // namespace recsim
