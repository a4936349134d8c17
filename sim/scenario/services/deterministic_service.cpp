// deterministic: the same time for every request, whatever the batch.
#include "sim/scenario/service_registry.h"
#include "sim/service/service_time_model.h"

namespace recsim {

ServiceKind deterministic_service() {
  KeyVariant keys{"deterministic", "the same time for every request, whatever the batch",
                  {{.name = "ms", .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "ms", .help = "the time of every request"}},
                  {}};
  return {keys,
          [](JsonReader& service, const KeyVariant& k, const std::string&, ProfileCache&) {
            const double seconds = read_number(service, k.keys[0]) / 1000.0;
            ServiceSpec spec;
            spec.type = "deterministic";
            spec.make = [seconds](const ServiceSpec&) { return make_deterministic_service(seconds); };
            return spec;
          }};
}

}  // namespace recsim
