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
  std::uint64_t max_in_flight = 100000;  // saturation bound on queries in the system
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
  // Every file the scenario was read from: outputs may not overwrite them.
  std::vector<std::string> input_files() const;
  std::string source_file;  // the scenario file itself (load_scenario), empty when built otherwise
  // The scenario's JSON after the --set overrides, serialised canonically (keys sorted): what
  // provenance hashes and the sweep store keys on (load_scenario; empty when built otherwise).
  std::string final_document;
};

}  // namespace recsim
