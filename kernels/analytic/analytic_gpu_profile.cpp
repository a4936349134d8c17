#include "kernels/analytic/analytic_gpu_profile.h"

#include "kernels/analytic/roofline_ops.h"
#include "kernels/model/model_forward.h"
#include "kernels/model/model_inputs.h"

#include <algorithm>

namespace recsim {
namespace {

LatencyPoint exact_point(int batch, double seconds) {
  LatencyPoint p;
  p.batch = batch;
  p.median_ms = p.p10_ms = p.p90_ms = p.min_ms = p.max_ms = seconds * 1e3;
  p.samples = 0;  // computed, not sampled
  return p;
}

}  // namespace

ModelLatency analytic_gpu_model(const ModelSpec& spec, const GpuSpec& gpu, const std::vector<int>& batches) {
  // Table sizes do not enter the roofline (only the rows a batch touches do): small tables suffice.
  const ModelWeights weights = make_model_weights(spec, rows_scale_for(spec, 16e6), 1);
  const int max_batch = *std::max_element(batches.begin(), batches.end());
  RooflineOps ops(gpu);
  ModelForward forward(weights, ops, max_batch);
  std::vector<float> out(static_cast<std::size_t>(max_batch) * spec.outputs_per_item());
  Rng rng = make_stream(1, StreamId::keys);
  ModelLatency result;
  result.rows_scale = 1.0;
  for (int batch : batches) {
    const ModelInputs inputs = make_model_inputs(weights, batch, {KeyPopularity::Kind::uniform, 0.0}, rng);
    ops.reset();
    forward.forward(inputs, out.data());
    const double total = ops.upload_seconds() + ops.kernel_seconds() + ops.download_seconds();
    result.single.push_back(exact_point(batch, total));
    result.kernel_only.push_back(exact_point(batch, ops.kernel_seconds()));
    result.upload.push_back(exact_point(batch, ops.upload_seconds()));
    result.download.push_back(exact_point(batch, ops.download_seconds()));
  }
  return result;
}

}  // namespace recsim
