// The registry of arrival processes: one line per process.
#include "sim/scenario/arrival_registry.h"

#include "sim/policy_registry.h"

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

std::vector<std::string> arrival_names() { return policy_names(arrival_kinds()); }

const ArrivalKind& arrival_kind(const std::string& name) { return find_policy(arrival_kinds(), name, "arrival process"); }

}  // namespace recsim
