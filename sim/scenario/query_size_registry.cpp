// The registry of query-size distributions: one line per distribution.
#include "sim/scenario/query_size_registry.h"

#include "sim/policy_registry.h"

namespace recsim {

const std::vector<QuerySizeKind>& query_size_kinds() {
  static const std::vector<QuerySizeKind> kinds = {
      fixed_sizes(),
      normal_sizes(),
      lognormal_sizes(),
      empirical_sizes(),
  };
  return kinds;
}

std::vector<std::string> query_size_names() { return policy_names(query_size_kinds()); }

const QuerySizeKind& query_size_kind(const std::string& name) { return find_policy(query_size_kinds(), name, "query-size distribution"); }

}  // namespace recsim
