#include "kernels/analytic/gpu_efficiencies.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

namespace recsim {

GpuEfficiencies peak_efficiencies(const GpuSpec& gpu) {
  GpuEfficiencies e;
  e.kernel_overhead_s = e.copy_overhead_s = gpu.launch_overhead_s;
  return e;
}

GpuEfficiencies load_gpu_efficiencies(const std::string& path) {
  const auto doc = read_json_file(path);
  GpuEfficiencies e;
  try {
    JsonReader r(doc, "");
    r.choice("format", {"recsim-gpu-efficiencies/1"});
    e.gemm = r.number("gemm_efficiency", 0, 1, true);
    e.stream = r.number("stream_efficiency", 0, 1, true);
    e.gather = r.number("gather_efficiency", 0, 1, true);
    e.pcie = r.number("pcie_efficiency", 0, 1, true);
    e.kernel_overhead_s = r.number("kernel_overhead_us", 0, 1e6) * 1e-6;
    e.copy_overhead_s = r.number("copy_overhead_us", 0, 1e6) * 1e-6;
    r.string("source");
    r.object("fit");
    r.finish();
  } catch (const InputError& err) {
    throw InputError(path + ": " + err.where(), err.expected());
  }
  e.document = nlohmann::ordered_json::parse(doc.dump());
  return e;
}

nlohmann::ordered_json efficiencies_document(const GpuEfficiencies& e, const nlohmann::ordered_json& fit) {
  nlohmann::ordered_json d;
  d["format"] = "recsim-gpu-efficiencies/1";
  d["gemm_efficiency"] = e.gemm;
  d["stream_efficiency"] = e.stream;
  d["gather_efficiency"] = e.gather;
  d["pcie_efficiency"] = e.pcie;
  d["kernel_overhead_us"] = e.kernel_overhead_s * 1e6;
  d["copy_overhead_us"] = e.copy_overhead_s * 1e6;
  d["source"] =
      "fitted, not measured: recsim fit-gpu chose these values so that the roofline model reproduces published "
      "measurements of other GPUs and software stacks (see fit); they stand in for a measured GPU profile";
  d["fit"] = fit;
  return d;
}

}  // namespace recsim
