#pragma once
// The simulated platform, built in SimGrid from the scenario: one frontend host that runs the load
// generator, one host per server with its CPU core count, and one host per GPU joined to its server
// by its own full-duplex PCIe link (a SimGrid split-duplex link: each direction has the link's
// bandwidth; transfers in one direction share it). Must be called once, after the SimGrid engine is
// created and before it runs.
#include "sim/scenario/scenario.h"

#include <simgrid/s4u/Host.hpp>

#include <string>
#include <vector>

namespace recsim {

struct GpuHost {
  std::string name;  // "server-0/gpu0"
  simgrid::s4u::Host* host = nullptr;
};

struct ServerHost {
  std::string name;       // group name and index: "server-0"
  int cpu_cores = 1;
  simgrid::s4u::Host* host = nullptr;
  std::vector<GpuHost> gpus;
};

struct Platform {
  simgrid::s4u::Host* frontend = nullptr;
  std::vector<ServerHost> servers;
};

Platform build_platform(const Scenario& scenario);

}  // namespace recsim
