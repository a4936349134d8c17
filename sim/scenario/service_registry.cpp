// The registry of service-time types: one line per type.
#include "sim/scenario/service_registry.h"

#include "sim/policy_registry.h"

namespace recsim {

const std::vector<ServiceKind>& service_kinds() {
  static const std::vector<ServiceKind> kinds = {
      exponential_service(),
      deterministic_service(),
      table_service(),
      model_service(),
  };
  return kinds;
}

std::vector<std::string> service_names() { return policy_names(service_kinds()); }

const ServiceKind& service_kind(const std::string& name) { return find_policy(service_kinds(), name, "service type"); }

}  // namespace recsim
