#pragma once
// The registry of service-time types (a `service` object, docs/scenario-format.md): one file each
// (sim/scenario/services/NAME_service.cpp), listed on one line of service_registry.cpp. The parser's
// allowed `type` names, the docs' key table and the JSON Schema come from it.
#include "sim/scenario/scenario_sections.h"
#include "sim/service/service_spec.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

class ServiceTimeModel;

struct ServiceKind {
  KeyVariant keys;  // its name (the `type` value), what it means, and its keys
  // Reads the type's keys (declared in `keys`) from the service object; files resolved against
  // `base_dir`, profiles read once through `profiles`.
  // The spec's `make` builds the type's service-time model.
  ServiceSpec (*parse)(JsonReader& service, const KeyVariant& keys, const std::string& base_dir, ProfileCache& profiles);
};

const std::vector<ServiceKind>& service_kinds();
std::vector<std::string> service_names();
const ServiceKind& service_kind(const std::string& name);

// The types, one per file.
ServiceKind exponential_service();
ServiceKind deterministic_service();
ServiceKind table_service();
ServiceKind model_service();

// A "table" service of (batch, ms) points, batches strictly increasing (recsim validate replays
// served times with it).
ServiceSpec table_service_spec(const std::vector<std::pair<int, double>>& batch_ms);
// The keys of one point of a table service (service.points.N).
const KeySection& table_point_keys();

}  // namespace recsim
