#pragma once
// The scenario's `autoscaling` (both formats): its common keys and each scaled group's declared
// here, each policy's in its own file (sim/scaling/scaling_registry.h); read through their
// declarations, and the docs' tables and the JSON Schema generated from them.
#include "sim/scaling/autoscaling_spec.h"
#include "sim/scenario/fleet.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <vector>

namespace recsim {

// The keys every policy shares (`policy`, `interval_s`, `startup_s`, `groups`).
const std::vector<KeyDecl>& autoscaling_common_keys();
// The sections: scaled_group, scaling_step.
const std::vector<KeySection>& autoscaling_key_sections();
// The policies' variants.
std::vector<KeyVariant> scaling_variants();
// The top-level key both formats declare.
const KeyDecl& autoscaling_key();

AutoscalingSpec parse_autoscaling(JsonReader autoscaling, const Fleet& fleet);

}  // namespace recsim
