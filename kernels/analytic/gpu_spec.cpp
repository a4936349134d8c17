#include "kernels/analytic/gpu_spec.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

namespace recsim {

GpuSpec load_gpu_spec(const std::string& path) {
  const auto doc = read_json_file(path);
  GpuSpec g;
  try {
    JsonReader r(doc, "");
    g.name = r.string("name");
    g.fp32_flops_per_s = r.number("fp32_tflops", 0, 1e6, true) * 1e12;
    g.memory_bytes_per_s = r.number("memory_gb_per_s", 0, 1e6, true) * 1e9;
    g.pcie_bytes_per_s = r.number("pcie_gb_per_s", 0, 1e6, true) * 1e9;
    g.launch_overhead_s = r.number("launch_overhead_us", 0, 1e6) * 1e-6;
    JsonReader sources = r.object("sources");
    for (const char* key : {"fp32_tflops", "memory_gb_per_s", "pcie_gb_per_s", "launch_overhead_us"}) sources.string(key);
    sources.finish();
    r.finish();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  g.document = nlohmann::ordered_json::parse(doc.dump());
  return g;
}

}  // namespace recsim
