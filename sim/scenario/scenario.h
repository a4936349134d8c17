#pragma once
// The validated, typed form of a scenario file, whichever its format (1 or 2, documented key by key
// in docs/scenario-format.md): the fleet, how queries arrive, and how long the run is. Everything
// downstream of the parser trusts these values; nothing downstream knows format 1's keys.
#include "sim/scenario/fleet.h"
#include "workloads/arrival_spec.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct RunSpec {
  std::uint64_t queries = 0;
  std::uint64_t warmup_queries = 0;
  // Saturation bound on queries in the system; absent: in_flight_bound's default for the fleet.
  std::optional<std::uint64_t> max_in_flight;
  std::optional<double> window_s;         // results over time: the windows' length (none: no time series)
};

struct Scenario {
  std::string name;
  std::uint64_t seed = 1;
  int format = 1;  // the format it was written in (1 or 2): the results' shape follows it
  Fleet fleet;
  ArrivalSpec arrival;  // one stream of arrivals for the whole fleet
  RunSpec run;

  int total_servers() const { return fleet.total_servers(); }
  int total_cores() const { return fleet.total_cores(); }
  int total_gpus() const { return fleet.total_gpus(); }
  // The run's saturation bound on queries in the system: `run.max_in_flight`, or by default
  // kDefaultMaxInFlight or kInFlightPerUnit per core and GPU of the fleet, whichever is more. A
  // stable fleet holds far fewer: queries in the system are at most its requests, and a core's
  // queue averages 64 only at 98.5% load (M/M/1), so the bound grows with the fleet and stops only
  // runs whose queues are growing.
  std::uint64_t in_flight_bound() const;
  static constexpr std::uint64_t kDefaultMaxInFlight = 100000;
  static constexpr std::uint64_t kInFlightPerUnit = 64;
  // Every file the scenario was read from: outputs may not overwrite them.
  std::vector<std::string> input_files() const;
  std::string source_file;  // the scenario file itself (load_scenario), empty when built otherwise
  // The scenario's JSON after the --set overrides, serialised canonically (keys sorted): what
  // provenance hashes and the sweep store keys on (load_scenario; empty when built otherwise).
  std::string final_document;
};

}  // namespace recsim
