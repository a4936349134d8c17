#pragma once
// The registry of query-size distributions (a model's `query_size`, docs/scenario-format.md): one
// file each (sim/scenario/sizes/NAME_sizes.cpp), listed on one line of query_size_registry.cpp. The
// parser's allowed names, the docs' key table and the JSON Schema come from it.
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"
#include "workloads/query_size_spec.h"

#include <string>
#include <vector>

namespace recsim {

struct QuerySizeKind {
  KeyVariant keys;  // its name (the `distribution` value), what it means, and its keys
  // Reads the distribution's keys (declared in `keys`) from the query_size object; files are
  // resolved against `base_dir`.
  QuerySizeSpec (*parse)(JsonReader& size, const KeyVariant& keys, const std::string& base_dir);
};

const std::vector<QuerySizeKind>& query_size_kinds();
std::vector<std::string> query_size_names();
const QuerySizeKind& query_size_kind(const std::string& name);

// The distributions, one per file.
QuerySizeKind fixed_sizes();
QuerySizeKind normal_sizes();
QuerySizeKind lognormal_sizes();
QuerySizeKind empirical_sizes();

}  // namespace recsim
