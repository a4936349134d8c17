// empirical: sizes drawn from a table of (size, weight) lines (workloads/size_table_file.h).
#include "sim/scenario/query_size_registry.h"
#include "sim/scenario/scenario_sections.h"
#include "workloads/size_table_file.h"

#include <algorithm>

namespace recsim {

QuerySizeKind empirical_sizes() {
  KeyVariant keys{"empirical", "sizes drawn from a table",
                  {{.type = KeyDecl::Type::file, .name = "file", .help = "a CSV file of `size,weight` lines (an optional header line, `#` comments): sizes integers >= 1, each once; weights >= 0 with a positive total"}},
                  {}};
  return {keys, [](JsonReader& size, const KeyVariant& k, const std::string& base_dir) {
            QuerySizeSpec q;
            q.distribution = "empirical";
            q.file = read_input_file(size, k.keys[0].name, base_dir);
            const auto table = read_size_table(q.file);
            q.make = [table] { return make_empirical_sizes(table); };
            q.max = 1;
            for (const auto& row : table) q.max = std::max(q.max, row.first);
            return q;
          }};
}

}  // namespace recsim
