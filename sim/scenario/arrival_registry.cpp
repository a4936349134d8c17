// The registry of arrival processes: one line per process.
#include "sim/scenario/arrival_registry.h"

#include <stdexcept>

namespace recsim {

const std::vector<ArrivalKind>& arrival_kinds() {
  static const std::vector<ArrivalKind> kinds = {
      poisson_arrivals(),
      diurnal_arrivals(),
      bursty_arrivals(),
      gamma_arrivals(),
      trace_arrivals(),
  };
  return kinds;
}

std::vector<std::string> arrival_names() {
  std::vector<std::string> names;
  for (const auto& k : arrival_kinds()) names.push_back(k.keys.value);
  return names;
}

const ArrivalKind& arrival_kind(const std::string& name) {
  for (const auto& k : arrival_kinds())
    if (k.keys.value == name) return k;
  throw std::out_of_range("no arrival process \"" + name + "\"");
}

}  // namespace recsim
