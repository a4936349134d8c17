#pragma once
// The simulated platform, built in SimGrid from the scenario: one frontend host that runs the load
// generator, and one host per server with its CPU core count. Must be called once, after the
// SimGrid engine is created and before it runs.
#include "sim/scenario/scenario.h"

#include <simgrid/s4u/Host.hpp>

#include <string>
#include <vector>

namespace recsim {

struct ServerHost {
  std::string name;       // group name and index: "server-0"
  int cpu_cores = 1;
  simgrid::s4u::Host* host = nullptr;
};

struct Platform {
  simgrid::s4u::Host* frontend = nullptr;
  std::vector<ServerHost> servers;
};

Platform build_platform(const Scenario& scenario);

}  // namespace recsim
