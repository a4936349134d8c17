#pragma once
// The keys of the objects a format-2 scenario's parser reads itself (docs/scenario-format.md,
// "Format 2"): the top level, the workload, server kinds and their power and links, server groups,
// models, the balancer and the network. Declared once in datacenter_parser.cpp, which reads every
// one of them through its declaration; the sections they refer to and the parser shares with
// format 1 (arrival, query_size, service, scheduler, sla, run) are declared next to their readers.
#include "workloads/key_declaration.h"

#include <vector>

namespace recsim {

// In order: "scenario_v2", "workload_v2", "server_kind", "power", "link", "server_group", "model",
// "balancer", "network", "bytes".
const std::vector<KeySection>& datacenter_key_sections();
// The "link" section ({gb_per_s, latency_us}): format 2's PCIe and network links, format 1's PCIe.
const KeySection& link_keys();

}  // namespace recsim
