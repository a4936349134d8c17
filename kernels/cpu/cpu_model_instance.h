#pragma once
// One instance of a model on one CPU core: its own oneDNN primitives and buffers, sharing the
// model's weights with the other instances. What the calibration times and what real serving runs
// (kernels/calibration/cpu_calibrator.cpp, sim/serving/real_server.cpp).
#include "kernels/cpu/onednn_ops.h"
#include "kernels/model/model_forward.h"

#include <chrono>
#include <vector>

namespace recsim {

struct CpuModelInstance {
  OneDnnOps ops;
  ModelForward forward;
  std::vector<float> out;
  CpuModelInstance(const ModelWeights& w, int max_batch)
      : forward(w, ops, max_batch), out(static_cast<std::size_t>(max_batch) * w.spec.outputs_per_item()) {}
  void run(const ModelInputs& in) { forward.forward(in, out.data()); }
  // The run's wall time, ms.
  double run_ms(const ModelInputs& in) {
    const auto t0 = std::chrono::steady_clock::now();
    run(in);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  }
};

}  // namespace recsim
