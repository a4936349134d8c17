// poisson: exponential gaps with mean 1/qps (workloads/poisson_arrivals.h).
#include "sim/scenario/arrival_registry.h"
#include "workloads/poisson_arrivals.h"

#include <limits>

namespace recsim {

ArrivalKind poisson_arrivals() {
  KeyVariant keys{"poisson", "Poisson arrivals: exponential gaps with mean 1/qps",
                  {{.name = "qps", .lo = 0.0, .hi = std::numeric_limits<double>::infinity(), .lo_open = true, .unit = "queries/s",
                    .help = "the rate"}},
                  {}};
  return {keys, [](JsonReader& arrival, const KeyVariant& k, const std::string&, ArrivalSpec& spec) {
            spec.qps = read_number(arrival, k.key("qps"));
            spec.make = [](double qps, std::uint64_t seed) { return std::make_unique<PoissonArrivals>(qps, make_stream(seed, StreamId::arrivals)); };
          }};
}

}  // namespace recsim
