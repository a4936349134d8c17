#pragma once
// The fleet as the engine builds it, the same for both scenario formats: server kinds, groups of
// servers of one kind, and the models they serve, each with its query sizes, SLA, and per kind its
// service time and scheduling policy, and the groups that host it. A format-2 scenario states all of
// this; a v1 scenario is read as one kind per server group and one model served everywhere, from
// its `service`, `scheduler`, `workload.query_size` and `sla` (so that `tune` and `capacity`, which
// rewrite those keys, drive the same engine).
#include "sim/scenario/scenario.h"

#include <string>
#include <vector>

namespace recsim {

struct FleetModel {
  std::string name;
  double share = 1.0;  // normalised: the shares of all models sum to 1
  const QuerySizeSpec* sizes = nullptr;
  SlaSpec sla;
  std::vector<const ServiceSpec*> service;  // per kind; null where the model is not hosted
  std::vector<SchedulerSpec> scheduler;     // per kind
  std::vector<int> groups;                  // hosting groups, increasing
};

struct Fleet {
  std::vector<ServerKind> kinds;
  std::vector<ServerGroup> groups;  // kind set
  std::vector<FleetModel> models;
  std::string balancer;
  NetworkSpec network;
  int format = 1;
};

// The fleet of `s`; it points into `s`, which must outlive it.
Fleet fleet_of(const Scenario& s);

}  // namespace recsim
