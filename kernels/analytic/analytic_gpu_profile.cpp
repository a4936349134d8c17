#include "kernels/analytic/analytic_gpu_profile.h"

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

std::vector<std::vector<RooflineStep>> roofline_traces(const ModelSpec& spec, const std::vector<int>& batches) {
  // Table sizes do not enter the roofline (only the rows a batch touches do): small tables suffice.
  const ModelWeights weights = make_model_weights(spec, rows_scale_for(spec, 16e6), 1);
  const int max_batch = *std::max_element(batches.begin(), batches.end());
  RooflineOps ops;
  ModelForward forward(weights, ops, max_batch);
  std::vector<float> out(static_cast<std::size_t>(max_batch) * spec.outputs_per_item());
  Rng rng = make_stream(1, StreamId::keys);
  std::vector<std::vector<RooflineStep>> traces;
  for (int batch : batches) {
    const ModelInputs inputs = make_model_inputs(weights, batch, {KeyPopularity::Kind::uniform, 0.0}, rng);
    ops.reset();
    forward.forward(inputs, out.data());
    traces.push_back(ops.trace());
  }
  return traces;
}

ModelLatency analytic_gpu_model(const ModelSpec& spec, const GpuSpec& gpu, const GpuEfficiencies& efficiencies,
                                const std::vector<int>& batches) {
  const auto traces = roofline_traces(spec, batches);
  ModelLatency result;
  result.rows_scale = 1.0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const RooflineTimes t = roofline_times(traces[i], gpu, efficiencies);
    result.single.push_back(exact_point(batches[i], t.total_s()));
    result.kernel_only.push_back(exact_point(batches[i], t.kernel_s));
    result.upload.push_back(exact_point(batches[i], t.upload_s));
    result.download.push_back(exact_point(batches[i], t.download_s));
  }
  return result;
}

}  // namespace recsim
