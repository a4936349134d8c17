// normal: Normal(mean, sd) items, rounded to the nearest integer and clipped to [1, max].
#include "sim/scenario/query_size_registry.h"
#include "sim/scheduling/scheduler_policy.h"

#include <limits>

namespace recsim {

QuerySizeKind normal_sizes() {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  KeyVariant keys{"normal", "Normal(mean, sd), rounded, clipped to [1, max]",
                  {{.name = "mean", .lo = -kInf, .hi = kInf, .help = "the mean before rounding and clipping"},
                   {.name = "sd", .lo = 0.0, .hi = kInf, .help = "the standard deviation"},
                   {.type = KeyDecl::Type::integer, .name = "max", .lo = 1, .hi = kMaxQuerySize, .help = "the largest size drawn"}},
                  {}};
  return {keys, [](JsonReader& size, const KeyVariant& k, const std::string&) {
            const double mean = read_number(size, k.keys[0]), sd = read_number(size, k.keys[1]);
            const int max = static_cast<int>(read_integer(size, k.keys[2]));
            QuerySizeSpec q;
            q.distribution = "normal";
            q.make = [mean, sd, max] { return make_normal_sizes(mean, sd, max); };
            q.max = max;
            return q;
          }};
}

}  // namespace recsim
