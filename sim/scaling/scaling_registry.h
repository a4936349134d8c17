#pragma once
// The registry of autoscaling policies (autoscaling.policy, docs/scenario-format.md): one file each
// (sim/scaling/NAME_scaling.cpp), listed on one line of scaling_registry.cpp. The parser's allowed
// names, the docs' key table and the JSON Schema come from it.
#include "sim/scaling/autoscaling_spec.h"
#include "sim/scenario/fleet.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <string>
#include <vector>

namespace recsim {

struct ScalingKind {
  KeyVariant keys;  // its name (the `policy` value), what it means, and its own keys
  // Reads the policy's keys (declared in `keys`) and sets `spec.make`; group names against `fleet`.
  void (*parse)(JsonReader& autoscaling, const KeyVariant& keys, const Fleet& fleet, AutoscalingSpec& spec);
};

const std::vector<ScalingKind>& scaling_kinds();
std::vector<std::string> scaling_names();
const ScalingKind& scaling_kind(const std::string& name);

// The policies, one per file.
ScalingKind target_utilization_scaling();
ScalingKind schedule_scaling();

}  // namespace recsim
