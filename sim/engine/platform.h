#pragma once
// The simulated platform, built in SimGrid from the scenario: one frontend host that runs the load
// generator, one host per server with its CPU core count, and one host per GPU joined to its server
// by its own full-duplex PCIe link (a SimGrid split-duplex link: each direction has the link's
// bandwidth; transfers in one direction share it). With an embedding cache: each server's SSD as a
// SimGrid disk (a persistent tier), and the Redis nodes of a remote volatile tier ("redis-0", ...,
// one single-core host each: a node's concurrent commands share its one core) behind one full-duplex network
// link that every server's traffic to any of them shares. With a datacenter network (format 2,
// `network`): servers in racks of `servers_per_rack` (each group starts a new rack), each server on
// its own full-duplex NIC link to its rack's switch, each rack switch on one uplink to the spine, the
// frontend on its own link to the spine; a route frontend -> server crosses the frontend's link, the
// rack's uplink and the server's NIC (max-min sharing on each). One SimGrid star zone holds it all:
// each host keeps only its own links (its route up to the centre and back down), so memory is
// linear in the fleet and a fleet without a network or GPUs has no routes at all (a full zone's
// table of every pair of hosts took 923 MiB at 10,000 servers). Must be called once, after the
// SimGrid engine is created and before it runs.
#include "sim/scenario/fleet.h"

#include <simgrid/s4u/Disk.hpp>
#include <simgrid/s4u/Host.hpp>

#include <string>
#include <vector>

namespace recsim {

// Host speed in flop/s: a core of a server host has this speed, so work of s seconds on it is
// s × kCoreSpeed flops.
constexpr double kCoreSpeed = 1e9;

struct GpuHost {
  std::string name;  // "server-0/gpu0"
  int index = 0;     // on its server
  simgrid::s4u::Host* host = nullptr;
};

struct ServerHost {
  std::string name;       // group name and index: "server-0"
  int group = 0;          // index into the fleet's groups
  int kind = 0;           // index into the fleet's kinds
  int rack = 0;           // with a network
  int cpu_cores = 1;
  simgrid::s4u::Host* host = nullptr;
  // The host end of its GPUs' PCIe links (transfers to and from its GPUs start here): its own host
  // without a network, otherwise a host of its own ("server-0/pcie", where no work runs) whose route
  // to each GPU is that GPU's link alone, as the server's host routes over its NIC and rack uplink.
  simgrid::s4u::Host* pcie_host = nullptr;
  std::vector<GpuHost> gpus;
  simgrid::s4u::Disk* ssd = nullptr;  // with a persistent tier
};

struct Platform {
  simgrid::s4u::Host* frontend = nullptr;
  std::vector<ServerHost> servers;
  std::vector<simgrid::s4u::Host*> redis_nodes;  // with a Redis volatile tier
};

Platform build_platform(const Fleet& fleet);

}  // namespace recsim
