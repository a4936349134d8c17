#pragma once
// The validation of the simulation against real serving (`recsim validate`, docs/validation.md):
// the scenario's model served for real on this machine (sim/serving/real_server.h) and the same
// server simulated, with a profile calibrated here (or given), at a few fractions of the simulated
// capacity, on the same queries; per load both latency distributions, the simulated p95's range
// over draws of the requests' own variation, and where the error comes from (the profile against
// the served times, the queueing model replayed with them, the service-time model request by
// request, the machine's drift).
#include "kernels/model/model_spec.h"
#include "sim/metrics/run_results.h"
#include "sim/scenario/scenario.h"
#include "sim/search/capacity_search.h"
#include "sim/serving/order_replay.h"
#include "sim/serving/real_server.h"
#include "sim/serving/service_check.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace recsim {

struct ValidationOptions {
  std::vector<double> loads = {0.3, 0.6, 0.85};  // fractions of the simulated capacity, each in [0.01, 1)
  int cores = 0;          // serving cores; 0: the CPUs this process may use
  int queries = 5000;     // per load, a tenth of them warm-up
  int draws = 20;         // draws of the requests' own variation (and shufflings of the real deviations)
  int jobs = 0;           // simulations at once in the capacity search; 0: the CPUs this process may use
  std::string profile;      // a CPU profile to use instead of calibrating here
  std::string profile_out;  // where the profile calibrated here is kept ("": a temporary file)
  std::vector<std::string> sets;  // PATH=VALUE overrides of the scenario
  std::string command_line;       // recorded in a calibrated profile's provenance
  bool quiet = false;             // no progress on stderr
};

// The p95 over `draws` independent draws of the requests' own variation (the first the scenario
// seed's). Another run of the same length falls inside the range of n exchangeable runs with
// probability (n - 1) / (n + 1).
struct DrawRange {
  int draws = 0;
  double low = 0.0, high = 0.0;
  bool contains(double v) const { return v >= low && v <= high; }
};

struct ValidationLevel {
  double load = 0, qps = 0;
  RunResults simulated;
  DrawRange simulated_p95;
  RealServingResult real;
  RunResults replayed;                  // simulated with the served times per request size
  double served_ms_per_request = 0.0;   // the measured queries' requests, real
  double profile_ms_per_request = 0.0;  // the same requests at the profile's back-to-back times
  double reference_ms = 0.0;            // the profile's point at the largest request, timed just before serving
  ServiceCheck check;                   // the service-time model against each real request's time on its core
  OrderReplay order;                    // the real requests' times replayed in their order and shuffled
};

// What the flags and the scenario allow, checked before any work (InputError: exit 2).
struct ValidationSetup {
  Scenario given;   // the scenario with the caller's overrides
  ModelSpec spec;
  int cores = 0;
  int batch = 0, largest_request = 0;  // the static split's batch size; the largest request it makes
  std::vector<std::string> sets;       // the overrides the validation runs with (cores, queries)
  std::vector<std::string> inputs;     // files read (for output-path checks)
};
ValidationSetup prepare_validation(const std::string& scenario_path, const ValidationOptions& options);

struct ValidationReport {
  Scenario scenario;  // as simulated, with the profile used
  std::string model;
  int cores = 0, batch = 0, largest_request = 0, draws = 0;
  std::string profile;                    // given with --profile, else empty
  nlohmann::ordered_json calibration;     // the calibration done here, or null
  CapacityResult capacity;
  double profile_reference_ms = 0.0;      // the profile's time at the largest request
  double reference_after_ms = 0.0;        // ... timed again after the last load
  std::vector<ValidationLevel> levels;
  // The scenario's provenance (sim/provenance/provenance.h), taken while a temporary profile exists.
  nlohmann::ordered_json provenance;
  // The machine's drift at a reference timing: against the profile's.
  double drift(double reference_ms) const;
};

// Throws std::runtime_error when the simulated capacity is not found.
ValidationReport validate_serving(const std::string& scenario_path, const ValidationSetup& setup, const ValidationOptions& options);

// The validation JSON of `recsim validate --out`, its provenance last.
nlohmann::ordered_json validation_report_json(const ValidationReport& report);

// (simulated - real) / real; 0 when real is 0.
inline double relative_error(double simulated, double real) { return real > 0 ? (simulated - real) / real : 0.0; }

}  // namespace recsim
