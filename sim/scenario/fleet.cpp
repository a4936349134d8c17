#include "sim/scenario/fleet.h"

namespace recsim {

Fleet fleet_of(const Scenario& s) {
  Fleet f;
  f.format = s.format;
  f.groups = s.servers;
  if (s.format >= 2) {
    f.kinds = s.kinds;
    f.balancer = s.balancer;
    f.network = s.network;
    double total = 0.0;
    for (const auto& m : s.models) total += m.share;
    for (const auto& m : s.models) {
      FleetModel fm;
      fm.name = m.name;
      fm.share = m.share / total;
      fm.sizes = &m.query_size;
      fm.sla = m.sla;
      for (const auto& service : m.service) fm.service.push_back(service ? &*service : nullptr);
      fm.scheduler = m.scheduler;
      fm.groups = m.groups;
      f.models.push_back(std::move(fm));
    }
    return f;
  }
  // v1: each group is its own kind; one model on every server.
  FleetModel model;
  model.name = s.service.type == ServiceSpec::Type::model ? s.service.model : s.name;
  model.sizes = &s.query_size;
  model.sla = s.sla;
  for (std::size_t g = 0; g < s.servers.size(); ++g) {
    const ServerGroup& group = s.servers[g];
    ServerKind kind;
    kind.name = group.name;
    kind.cpu_cores = group.cpu_cores;
    kind.gpus = group.gpus;
    kind.pcie_bytes_per_s = group.pcie_bytes_per_s;
    kind.pcie_latency_s = group.pcie_latency_s;
    f.kinds.push_back(kind);
    f.groups[g].kind = static_cast<int>(g);
    model.service.push_back(&s.service);
    model.scheduler.push_back(s.scheduler);
    model.groups.push_back(static_cast<int>(g));
  }
  f.models.push_back(std::move(model));
  f.balancer = s.scheduler.server_selection;
  return f;
}

}  // namespace recsim
