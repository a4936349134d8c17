#pragma once
// The calibrations of `recsim calibrate` as functions, for the commands that calibrate on the way
// (`recsim validate`): the CPU measurement with its provenance, and the pieces the CPU and GPU
// calibrations share (oneDNN's ISA cap, the method's settings, one model after another with
// progress, writing a profile).
#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/model/model_spec.h"
#include "kernels/profiles/latency_profile.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace recsim {

// Caps oneDNN's CPU ISA: "all", "sse41", "avx", "avx2" or "avx512_core" (else InputError on --isa).
void set_isa(const std::string& isa);

// Measures each model (progress on stderr unless quiet) with oneDNN's ISA capped at `isa` ("all":
// no cap), recording the machine, the libraries and `command_line` in the provenance.
LatencyProfile measure_cpu_profile(const std::vector<ModelSpec>& specs, const CpuCalibrationOptions& options, const std::string& isa,
                                   const std::string& command_line, bool quiet);

// A JSON document to stdout (`out` empty) or atomically to `out`.
void write_json_document(const nlohmann::ordered_json& document, const std::string& out);
// A profile as `recsim calibrate --out` writes it.
void write_latency_profile(const LatencyProfile& profile, const std::string& out);

// The measurement settings the CPU and GPU calibrations share, for a profile's provenance.
template <class Options>
nlohmann::ordered_json shared_method(const Options& o) {
  return {{"repeats_min", o.repeats},
          {"min_seconds_per_point", o.min_seconds},
          {"warmup_runs", o.warmup},
          {"keys", "power law, alpha 1.05, per table"},
          {"max_table_bytes", o.max_table_bytes},
          {"statistic", "median of the timed runs; p10, p90, min, max beside it (quantiles linear between order statistics)"}};
}

// Calibrates each model into `profile` with `calibrate(spec, progress)`, telling progress on stderr
// unless quiet; returns the wall seconds taken.
template <class Calibrate>
double calibrate_each(const std::vector<ModelSpec>& specs, bool quiet, LatencyProfile& profile, Calibrate calibrate) {
  const auto started = std::chrono::steady_clock::now();
  const std::function<void(const std::string&)> progress = [quiet](const std::string& line) {
    if (!quiet) std::fprintf(stderr, "calibrate: %s\n", line.c_str());
  };
  for (const auto& spec : specs) profile.models[spec.name] = calibrate(spec, progress);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace recsim
