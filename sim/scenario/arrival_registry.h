#pragma once
// The registry of arrival processes (workload.arrival, docs/scenario-format.md): one file each
// (sim/scenario/arrivals/NAME_arrivals.cpp), listed on one line of arrival_registry.cpp. The parser's
// allowed `process` names, the docs' key table and the JSON Schema come from it.
#include "workloads/arrival_spec.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <string>
#include <vector>

namespace recsim {

struct ArrivalKind {
  KeyVariant keys;  // its name (the `process` value), what it means, and its keys
  // Reads the process's keys (declared in `keys`) into `spec` (whose `process` is set); files resolved
  // against `base_dir`. A synthetic process sets `spec.make`; a trace leaves it empty.
  void (*parse)(JsonReader& arrival, const KeyVariant& keys, const std::string& base_dir, ArrivalSpec& spec);
};

const std::vector<ArrivalKind>& arrival_kinds();
std::vector<std::string> arrival_names();
const ArrivalKind& arrival_kind(const std::string& name);

// The processes, one per file.
ArrivalKind poisson_arrivals();
ArrivalKind diurnal_arrivals();
ArrivalKind bursty_arrivals();
ArrivalKind gamma_arrivals();
ArrivalKind trace_arrivals();

}  // namespace recsim
