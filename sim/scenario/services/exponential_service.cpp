// exponential: independent exponential request times, whatever the batch (for queueing checks).
#include "sim/scenario/service_registry.h"
#include "sim/service/service_time_model.h"

namespace recsim {

ServiceKind exponential_service() {
  KeyVariant keys{"exponential", "independent exponential times, whatever the batch (for queueing checks)",
                  {{.name = "mean_ms", .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "ms", .help = "the mean time of a request"}},
                  {}};
  return {keys,
          [](JsonReader& service, const KeyVariant& k, const std::string&, ProfileCache&) {
            const double mean_s = read_number(service, k.keys[0]) / 1000.0;
            ServiceSpec spec;
            spec.type = "exponential";
            spec.make = [mean_s](const ServiceSpec&) { return make_exponential_service(mean_s); };
            return spec;
          }};
}

}  // namespace recsim
