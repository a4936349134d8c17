#include "sim/calibration/profile_measurement.h"

#include "kernels/cpu/onednn_ops.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "workloads/input_error.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <thread>

namespace recsim {

void set_isa(const std::string& isa) {
  static const std::pair<const char*, dnnl::cpu_isa> isas[] = {
      {"all", dnnl::cpu_isa::all},     {"sse41", dnnl::cpu_isa::sse41}, {"avx", dnnl::cpu_isa::avx},
      {"avx2", dnnl::cpu_isa::avx2},   {"avx512_core", dnnl::cpu_isa::avx512_core}};
  for (const auto& [name, value] : isas)
    if (isa == name) {
      dnnl::set_max_cpu_isa(value);
      return;
    }
  throw InputError("--isa", "expected one of all, sse41, avx, avx2, avx512_core, got \"" + isa + "\"");
}

void write_json_document(const nlohmann::ordered_json& document, const std::string& out) {
  const std::string text = document.dump(2) + "\n";
  if (out.empty())
    std::fputs(text.c_str(), stdout);
  else
    write_file_atomically(out, text);
}

LatencyProfile measure_cpu_profile(const std::vector<ModelSpec>& specs, const CpuCalibrationOptions& o, const std::string& isa,
                                   const std::string& command_line, bool quiet) {
  set_isa(isa);
  LatencyProfile profile;
  profile.device = "cpu";
  profile.source = "measured";
  const double seconds = calibrate_each(specs, quiet, profile, [&](const ModelSpec& spec, const auto& progress) {
    return calibrate_cpu_model(spec, o, progress);
  });
  profile.provenance = {
      {"cpu_model", host_cpu_model()},
      {"cores", std::thread::hardware_concurrency()},
      {"isa", onednn_cpu_isa()},
      {"isa_cap", isa},
      {"libraries", {{"onednn", onednn_version()}, {"compiler", std::string("g++ ") + __VERSION__}}},
      {"date", utc_now()},
      {"command", command_line},
      {"method", [&] {
         nlohmann::ordered_json m = {{"threads_per_instance", 1}, {"contention_instances", o.instances}, {"passes", o.passes},
                                     {"after_idle_gaps_ms", o.after_idle_gaps_ms}, {"cold_sizes", o.cold_sizes},
                                     {"contention_levels", o.levels}, {"intra_op_threads", o.intra_op_threads}};
         m.update(shared_method(o));
         m["inputs"] = "fresh keys for every timed run, drawn ahead (at most 256 MiB, cycled beyond; contention: each instance cycles its own, drawn beforehand)";
         // How the profiles since 2026-12-05 (afternoon) measure what older ones measured otherwise or not at all.
         if (o.cold_sizes) m["cold_size_order"] = "every size 1..64 shuffled, each timed right after a run of the largest";
         m["run_spread"] = "each alone run over the median of its pass at that batch size";
         if (!o.intra_op_threads.empty())
           m["intra_op_threads_method"] = "one instance alone, its OpenMP team of T threads pinned one per CPU to the first T, its primitives made there; fresh keys";
         return m;
       }()},
      {"calibration_seconds", seconds},
  };
  return profile;
}

void write_latency_profile(const LatencyProfile& profile, const std::string& out) { write_json_document(profile_to_json(profile), out); }

}  // namespace recsim
