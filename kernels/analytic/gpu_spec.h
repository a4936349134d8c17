#pragma once
// A named GPU's published peaks (kernels/gpus/*.json): FP32 compute, memory bandwidth, PCIe
// bandwidth per direction, and a per-kernel launch overhead, each with its source.
#include <nlohmann/json.hpp>

#include <string>

namespace recsim {

struct GpuSpec {
  std::string name;
  double fp32_flops_per_s = 0;
  double memory_bytes_per_s = 0;
  double pcie_bytes_per_s = 0;   // one direction
  double launch_overhead_s = 0;  // per kernel launch and per copy
  nlohmann::ordered_json document;  // the file as read, sources included
};

// Throws InputError naming the file and key on invalid content.
GpuSpec load_gpu_spec(const std::string& path);

}  // namespace recsim
