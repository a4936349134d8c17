#pragma once
// The keys of a format-1 scenario's own objects and of the sections both formats share (the top
// level, platform, platform.servers.N, workload, sla, run), declared once in
// scenario_parser.cpp and read through their declarations. The other sections are declared next to
// their readers: arrival processes (arrival_registry.h), query sizes (query_size_registry.h), services (service_registry.h), the embedding
// cache (embedding_cache_parser.h), scheduling policies (sim/scheduling/scheduler_policy.h) and
// format 2 (datacenter_keys.h); scenario_schema.h puts them together.
#include "workloads/key_declaration.h"

#include <vector>

namespace recsim {

// In order: "scenario_v1", "platform", "server", "workload", "sla", "run".
const std::vector<KeySection>& scenario_key_sections();
// Format 1's scheduler.server_selection: the fleet's balancer.
const KeyDecl& server_selection_key();

}  // namespace recsim
