#pragma once
// The scenario's `failures` (both formats): keys declared here once, read through their
// declarations; the docs' tables and the JSON Schema are generated from them.
#include "sim/failures/failure_spec.h"
#include "sim/scenario/fleet.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <vector>

namespace recsim {

// The sections: failures, scheduled_failure, random_failures.
const std::vector<KeySection>& failure_key_sections();
// The top-level key both formats declare.
const KeyDecl& failures_key();

// Reads `failures` against the fleet's groups, kinds and network (names and indices must exist).
FailureSpec parse_failures(JsonReader failures, const Fleet& fleet);

}  // namespace recsim
