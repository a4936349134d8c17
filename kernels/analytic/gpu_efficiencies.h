#pragma once
// How far below its datasheet peaks a GPU's kernels and copies run, as the roofline model
// (kernels/analytic/roofline_ops.h) uses it: a fraction of peak FP32 for GEMMs, of memory bandwidth
// for streaming kernels and for embedding gathers, of PCIe bandwidth for copies, and a fixed time per
// kernel and per copy. With no efficiencies file the model runs at the peaks with the GPU file's
// launch overhead; `recsim fit-gpu` fits a file to published measurements
// (kernels/analytic/gpu_model_fit.h), and that file says so.
#include "kernels/analytic/gpu_spec.h"

#include <nlohmann/json.hpp>

#include <string>

namespace recsim {

struct GpuEfficiencies {
  double gemm = 1.0;    // fraction of peak FP32 a GEMM reaches
  double stream = 1.0;  // fraction of memory bandwidth a streaming (element-wise, copy) kernel reaches
  double gather = 1.0;  // fraction of memory bandwidth an embedding gather reaches
  double pcie = 1.0;    // fraction of PCIe bandwidth a copy reaches
  double kernel_overhead_s = 0;  // per kernel
  double copy_overhead_s = 0;    // per copy
  nlohmann::ordered_json document;  // the file as read (null: the peaks)
};

// The peaks: every fraction 1, the GPU file's launch overhead per kernel and per copy.
GpuEfficiencies peak_efficiencies(const GpuSpec& gpu);

// Reads an efficiencies file (format "recsim-gpu-efficiencies/1"). Throws InputError naming the
// file and key on invalid content.
GpuEfficiencies load_gpu_efficiencies(const std::string& path);

// The file's JSON for `e`, with `fit` (how it was fitted, per point errors) beside the values.
nlohmann::ordered_json efficiencies_document(const GpuEfficiencies& e, const nlohmann::ordered_json& fit);

}  // namespace recsim
