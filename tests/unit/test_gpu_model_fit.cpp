// The analytic GPU model's fit to published measurements (kernels/analytic/gpu_model_fit.h): it
// recovers measurements made by known efficiencies, names what is wrong in a measurements file, and
// the shipped efficiencies file is what the fit gives on the shipped measurements.
#include "support/build_paths.h"
#include "kernels/analytic/analytic_gpu_profile.h"
#include "kernels/analytic/gpu_model_fit.h"
#include "kernels/model/model_spec.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"

#include <catch2/catch.hpp>

using namespace recsim;
using namespace recsim::test;

namespace {

const std::string kSource = recsim::test::source_dir();

nlohmann::json measurements_file(const nlohmann::json& measurements) {
  return {{"format", "recsim-gpu-measurements/1"},
          {"cpu_profile", kSource + "/kernels/profiles/cpu-intel-xeon-2c.json"},
          {"cpu_profile_note", "test"},
          {"profile_stack", "s"},
          {"profile_stack_why", "test"},
          {"gpus", {{"h100", kSource + "/kernels/gpus/h100-sxm.json"}}},
          {"measurements", measurements}};
}

nlohmann::json latency(const std::string& model, int batch, double ms) {
  return {{"what", "latency_ms"}, {"gpu", "h100"}, {"model", model}, {"stack", "s"}, {"batch", batch},
          {"value", ms},          {"use", "fit"},  {"source", "test"}};
}

std::string error_of(const TempDir& dir, const nlohmann::json& doc) {
  try {
    load_gpu_fit_targets(dir.write_json("m.json", doc));
  } catch (const InputError& e) {
    return std::string(e.what()).substr(dir.file("m.json").size());
  }
  return "valid";
}

}  // namespace

TEST_CASE("the GPU fit recovers latencies made by known efficiencies", "[gpu-fit]") {
  const GpuSpec gpu = load_gpu_spec(kSource + "/kernels/gpus/h100-sxm.json");
  GpuEfficiencies truth;
  truth.gemm = 0.6;
  truth.stream = 0.5;
  truth.gather = 0.3;
  truth.pcie = 0.4;
  truth.kernel_overhead_s = 7e-6;
  truth.copy_overhead_s = 12e-6;
  nlohmann::json list = nlohmann::json::array();
  for (const std::string model : {"wnd", "dlrm-rmc1", "dlrm-rmc2", "dlrm-rmc3"}) {
    const std::vector<int> batches = {1, 64, 1024, 16384};
    const auto traces = roofline_traces(load_model_spec(model_file(model)), batches);
    for (std::size_t i = 0; i < batches.size(); ++i)
      list.push_back(latency(model, batches[i], roofline_times(traces[i], gpu, truth).total_s() * 1e3));
  }
  TempDir dir;
  const GpuFitTargets targets = load_gpu_fit_targets(dir.write_json("m.json", measurements_file(list)));
  const GpuFitResult r = fit_gpu_model(targets);
  CHECK(r.rms_log_error_fit < 0.01);
  for (const auto& p : r.points) CHECK(std::abs(p.error) < 0.02);
  // The efficiencies that the large batches pin down come back.
  CHECK(r.efficiencies.gemm == Approx(0.6).epsilon(0.05));
  CHECK(r.efficiencies.gather == Approx(0.3).epsilon(0.05));
  CHECK(r.efficiencies.pcie == Approx(0.4).epsilon(0.05));
  // At the peaks the model is faster than the truth everywhere.
  for (const auto& p : r.points) CHECK(p.at_peaks < p.predicted);
}

TEST_CASE("a bad GPU measurements file names the path and the problem", "[gpu-fit][errors]") {
  TempDir dir;
  auto doc = measurements_file(nlohmann::json::array({latency("wnd", 64, 0.5)}));
  CHECK(error_of(dir, doc) == "valid");
  doc["measurements"][0]["gpu"] = "v100";
  CHECK(error_of(dir, doc) == ": measurements.0.gpu: expected a GPU named in gpus, got \"v100\"");
  doc["measurements"][0]["gpu"] = "h100";
  doc["measurements"][0]["what"] = "speedup_over_cpu";
  doc["measurements"][0]["batch"] = 5;
  CHECK(error_of(dir, doc) == ": measurements.0.batch: the CPU profile " + kSource +
                                  "/kernels/profiles/cpu-intel-xeon-2c.json has no batch 5 for wnd");
  doc["measurements"][0]["batch"] = 64;
  doc["measurements"][0]["use"] = "check";
  CHECK(error_of(dir, doc) == ": measurements.0.why: required key is missing (is \"what\" a misspelling of it?)");
  doc["measurements"][0]["why"] = "test";
  CHECK(error_of(dir, doc) == ": measurements: expected at least one with \"use\": \"fit\"");
  doc["measurements"][0]["use"] = "fit";
  doc["measurements"][0].erase("why");
  CHECK(error_of(dir, doc) == "valid");
  doc["profile_stack"] = "t";
  CHECK(error_of(dir, doc) == ": profile_stack: expected a stack that a measurement names, got \"t\"");
  doc["profile_stack"] = "s";
  doc["measurements"][0]["what"] = "transfer_share";
  doc["measurements"][0]["value"] = 1.5;
  CHECK(error_of(dir, doc) == ": measurements.0.value: a share of time is below 1");
}

TEST_CASE("the shipped GPU efficiencies are the fit of the shipped measurements", "[gpu-fit]") {
  const GpuFitResult r = fit_gpu_model(load_gpu_fit_targets(shipped_gpu_measurements_file()));
  const GpuEfficiencies shipped = load_gpu_efficiencies(kSource + "/kernels/gpus/fitted-efficiencies.json");
  CHECK(shipped.gemm == Approx(r.efficiencies.gemm));
  CHECK(shipped.stream == Approx(r.efficiencies.stream));
  CHECK(shipped.gather == Approx(r.efficiencies.gather));
  CHECK(shipped.pcie == Approx(r.efficiencies.pcie));
  CHECK(shipped.kernel_overhead_s == Approx(r.efficiencies.kernel_overhead_s));
  CHECK(shipped.copy_overhead_s == Approx(r.efficiencies.copy_overhead_s));
  CHECK(shipped.document["fit"]["rms_log_error_fit"].get<double>() == Approx(r.rms_log_error_fit));
}
