// The registry of service-time types: one line per type.
#include "sim/scenario/service_registry.h"

#include <stdexcept>

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

std::vector<std::string> service_names() {
  std::vector<std::string> names;
  for (const auto& k : service_kinds()) names.push_back(k.keys.value);
  return names;
}

const ServiceKind& service_kind(const std::string& name) {
  for (const auto& k : service_kinds())
    if (k.keys.value == name) return k;
  throw std::out_of_range("no service type \"" + name + "\"");
}

}  // namespace recsim
