// fixed: every query asks for the same number of items.
#include "sim/scenario/query_size_registry.h"
#include "sim/scheduling/scheduler_policy.h"

namespace recsim {

QuerySizeKind fixed_sizes() {
  KeyVariant keys{"fixed", "every query has `value` items",
                  {{.type = KeyDecl::Type::integer, .name = "value", .lo = 1, .hi = kMaxQuerySize, .help = "the items of every query"}},
                  {}};
  return {keys, [](JsonReader& size, const KeyVariant& k, const std::string&) {
            const int value = static_cast<int>(read_integer(size, k.keys[0]));
            QuerySizeSpec q;
            q.distribution = "fixed";
            q.make = [value] { return make_fixed_sizes(value); };
            q.max = value;
            return q;
          }};
}

}  // namespace recsim
