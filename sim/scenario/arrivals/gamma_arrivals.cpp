// gamma: a renewal process of gamma gaps with mean 1/qps and coefficient of variation cv
// (workloads/gamma_arrivals.h).
#include "sim/scenario/arrival_registry.h"
#include "workloads/gamma_arrivals.h"

#include <limits>

namespace recsim {

ArrivalKind gamma_arrivals() {
  KeyVariant keys{"gamma",
                  "a renewal process: independent gamma gaps of mean 1/qps and coefficient of variation `cv` (1: as Poisson's; "
                  "above 1 burstier, below 1 more regular)",
                  {{.name = "qps", .lo = 0.0, .hi = std::numeric_limits<double>::infinity(), .lo_open = true, .unit = "queries/s",
                    .help = "the mean rate"},
                   {.name = "cv", .lo = 0.01, .hi = 100.0, .help = "the gaps' coefficient of variation (standard deviation / mean)"}},
                  {}};
  return {keys, [](JsonReader& arrival, const KeyVariant& k, const std::string&, ArrivalSpec& spec) {
            spec.qps = read_number(arrival, k.key("qps"));
            const double cv = read_number(arrival, k.key("cv"));
            spec.make = [cv](double qps, std::uint64_t seed) { return std::make_unique<GammaArrivals>(qps, cv, make_stream(seed, StreamId::arrivals)); };
          }};
}

}  // namespace recsim
