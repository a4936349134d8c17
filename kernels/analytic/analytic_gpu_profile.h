#pragma once
// A GPU latency profile computed, not measured: the roofline model of kernels/analytic/roofline_ops.h
// applied to every model's forward pass at every batch size, on a named GPU (kernels/gpus/*.json).
// Its profile says "source": "analytic" and carries the GPU's figures and their sources.
#include "kernels/analytic/gpu_spec.h"
#include "kernels/analytic/roofline_ops.h"
#include "kernels/model/model_spec.h"
#include "kernels/profiles/latency_profile.h"

#include <vector>

namespace recsim {

// End to end (inputs up, kernels, outputs down) in `single`; the kernels alone in `kernel_only`; the
// input and output copies in `upload` and `download`.
ModelLatency analytic_gpu_model(const ModelSpec& spec, const GpuSpec& gpu, const GpuEfficiencies& efficiencies,
                                const std::vector<int>& batches);

// The kernels and copies of one forward pass of `spec` at each batch size (kernels/analytic/roofline_ops.h).
std::vector<std::vector<RooflineStep>> roofline_traces(const ModelSpec& spec, const std::vector<int>& batches);

}  // namespace recsim
