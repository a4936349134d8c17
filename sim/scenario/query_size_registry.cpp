// The registry of query-size distributions: one line per distribution.
#include "sim/scenario/query_size_registry.h"

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

std::vector<std::string> query_size_names() {
  std::vector<std::string> names;
  for (const auto& k : query_size_kinds()) names.push_back(k.keys.value);
  return names;
}

const QuerySizeKind& query_size_kind(const std::string& name) {
  for (const auto& k : query_size_kinds())
    if (k.keys.value == name) return k;
  throw std::out_of_range("no query-size distribution \"" + name + "\"");
}

}  // namespace recsim
