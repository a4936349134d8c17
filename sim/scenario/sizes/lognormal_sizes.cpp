// lognormal: exp(Normal(mu, sigma)) items, rounded and clipped to [1, max]; given by mu and sigma,
// or production-shaped by the median and the share of all items the largest quarter of queries asks
// for (DeepRecSys: the largest 25% of queries carry nearly half of the work; docs/query-sizes.md).
#include "sim/scenario/query_size_registry.h"
#include "sim/scheduling/scheduler_policy.h"
#include "workloads/input_error.h"

#include <cmath>

namespace recsim {

QuerySizeKind lognormal_sizes() {
  KeyVariant keys{
      "lognormal",
      "exp(Normal(mu, sigma)), rounded, clipped to [1, max]. The public DeepRecSys code's sizes are `mu` 5.1, `sigma` 0.2, `max` "
      "1024 (median about 164): their largest quarter asks for only 31.8% of the items. *Production-shaped* sizes (the shipped "
      "model scenarios) are `median` 164, `top_quarter_share` 0.5, `max` 1024: mu = ln(median) and sigma = Φ⁻¹(0.75) + "
      "Φ⁻¹(share) = 0.674, so that the largest 25% of queries ask for half of the items, as the paper reports of production "
      "(docs/query-sizes.md)",
      {{.name = "mu", .lo = -50.0, .hi = 50.0, .help = "the mean of the logarithm"},
       {.name = "sigma", .lo = 0.0, .hi = 10.0, .help = "the standard deviation of the logarithm"},
       {.name = "median", .lo = 0.0, .hi = 1e20, .lo_open = true, .help = "the median (mu = ln median, at most e^50)"},
       {.name = "top_quarter_share", .lo = 0.25, .hi = 1.0, .lo_open = true, .hi_open = true,
        .help = "the share of all items the largest quarter of queries asks for"},
       {.type = KeyDecl::Type::integer, .name = "max", .lo = 1, .hi = kMaxQuerySize, .help = "the largest size drawn"}},
      {{"mu", "sigma"}, {"median", "top_quarter_share"}}};
  return {keys, [](JsonReader& size, const KeyVariant& k, const std::string&) {
            double mu = 0.0, sigma = 0.0;
            if (size.has("median") || size.has("top_quarter_share")) {
              for (const char* key : {"mu", "sigma"})
                if (size.has(key))
                  throw InputError(size.child_path(key), "give either \"mu\" and \"sigma\", or \"median\" and \"top_quarter_share\", not both");
              const double median = read_number(size, k.keys[2]);
              const double share = read_number(size, k.keys[3]);
              mu = std::log(median);
              sigma = lognormal_sigma_for_top_quarter_share(share);
              if (mu > 50.0) throw InputError(size.child_path("median"), "expected a median of at most e^50");
            } else {
              mu = read_number(size, k.keys[0]);
              sigma = read_number(size, k.keys[1]);
            }
            const int max = static_cast<int>(read_integer(size, k.keys[4]));
            QuerySizeSpec q;
            q.distribution = "lognormal";
            q.make = [mu, sigma, max] { return make_lognormal_sizes(mu, sigma, max); };
            q.max = max;
            return q;
          }};
}

}  // namespace recsim
