#include "sim/engine/platform.h"

#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

namespace recsim {
Platform build_platform(const Fleet& fleet) {
  using simgrid::s4u::LinkInRoute;
  Platform platform;
  // A star zone: a route is its source's links up to the centre, then its destination's links down.
  auto* zone = simgrid::s4u::create_star_zone("datacenter");
  platform.frontend = zone->create_host("frontend", kCoreSpeed);
  platform.frontend->seal();
  const EmbeddingCacheSpec* cache = fleet.embedding_cache();
  if (cache && cache->redis) {
    auto* redis_link = zone->create_split_duplex_link("redis/nic", cache->redis->bytes_per_s);
    redis_link->set_latency(cache->redis->latency_s);
    redis_link->seal();
    // Every server's commands to any node cross the one link (UP towards the nodes): a node's
    // route up is the link's DOWN direction, its route down (to it) the UP direction. With a network
    // (not combined with Redis today: the parameter server is format 1's) they would also cross the
    // server's NIC and rack uplink, its route up.
    for (int i = 0; i < cache->redis->nodes; ++i) {
      platform.redis_nodes.push_back(zone->create_host("redis-" + std::to_string(i), kCoreSpeed));
      platform.redis_nodes.back()->seal();
      zone->add_route(platform.redis_nodes.back()->get_netpoint(), nullptr, nullptr, nullptr,
                      {LinkInRoute(redis_link, LinkInRoute::Direction::DOWN)}, true);
    }
  }
  const NetworkSpec& net = fleet.network;
  simgrid::s4u::Link* uplink = nullptr;
  int rack = -1, in_rack = 0;
  if (net.enabled && net.frontend_link) {
    auto* frontend_link = zone->create_split_duplex_link("frontend/nic", net.frontend_bytes_per_s);
    frontend_link->set_latency(net.frontend_latency_s);
    frontend_link->seal();
    zone->add_route(platform.frontend->get_netpoint(), nullptr, nullptr, nullptr, {LinkInRoute(frontend_link, LinkInRoute::Direction::UP)}, true);
  }
  for (std::size_t gi = 0; gi < fleet.groups.size(); ++gi) {
    const ServerGroup& group = fleet.groups[gi];
    in_rack = 0;  // each group starts a new rack
    for (int i = 0; i < group.count; ++i) {
      ServerHost server;
      server.name = group.name + "-" + std::to_string(i);
      server.group = static_cast<int>(gi);
      server.kind = group.kind;
      server.cpu_cores = group.cpu_cores;
      server.host = zone->create_host(server.name, kCoreSpeed);
      server.host->set_core_count(group.cpu_cores);
      // The server's SSD, with a persistent tier of a model placed on its group (format 2: the
      // models' tiers there give the same SSD, checked by the parser).
      const PersistentTierSpec* ssd = nullptr;
      for (std::size_t m = 0; m < fleet.models.size() && !ssd; ++m)
        if (const EmbeddingCacheSpec* c = fleet.embedding_cache_on_group(m, gi); c && c->persistent) ssd = &*c->persistent;
      if (ssd) {
        server.ssd = server.host->create_disk("ssd", ssd->read_bytes_per_s, ssd->write_bytes_per_s);
        server.ssd->seal();
      }
      server.host->seal();
      std::vector<LinkInRoute> up;  // from the server towards the spine (the reverse route: down)
      if (net.enabled) {
        if (in_rack == 0) {
          ++rack;
          uplink = zone->create_split_duplex_link("rack-" + std::to_string(rack) + "/uplink", net.uplink_bytes_per_s);
          uplink->set_latency(net.uplink_latency_s);
          uplink->seal();
        }
        in_rack = (in_rack + 1) % net.servers_per_rack;
        server.rack = rack;
        auto* nic = zone->create_split_duplex_link(server.name + "/nic", net.nic_bytes_per_s);
        nic->set_latency(net.nic_latency_s);
        nic->seal();
        up = {LinkInRoute(nic, LinkInRoute::Direction::UP), LinkInRoute(uplink, LinkInRoute::Direction::UP)};
      }
      server.pcie_host = server.host;
      if (net.enabled && group.gpus > 0) {
        server.pcie_host = zone->create_host(server.name + "/pcie", kCoreSpeed);
        server.pcie_host->seal();
      }
      for (int g = 0; g < group.gpus; ++g) {
        GpuHost gpu;
        gpu.name = server.name + "/gpu" + std::to_string(g);
        gpu.index = g;
        gpu.host = zone->create_host(gpu.name, kCoreSpeed);
        gpu.host->seal();
        auto* pcie = zone->create_split_duplex_link(server.name + "/pcie" + std::to_string(g), group.pcie_bytes_per_s);
        pcie->set_latency(group.pcie_latency_s);
        pcie->seal();
        // Server to GPU: the link's UP direction (the GPU's route down).
        zone->add_route(gpu.host->get_netpoint(), nullptr, nullptr, nullptr, {LinkInRoute(pcie, LinkInRoute::Direction::DOWN)}, true);
        server.gpus.push_back(gpu);
      }
      if (!up.empty()) zone->add_route(server.host->get_netpoint(), nullptr, nullptr, nullptr, up, true);
      platform.servers.push_back(server);
    }
  }
  zone->seal();
  return platform;
}

}  // namespace recsim
