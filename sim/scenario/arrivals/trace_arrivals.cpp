// trace: a recorded trace of `arrival_ms,size` lines replayed (workloads/trace_file.h), its time axis
// scaled to a mean rate; the queries' sizes come from it. parse_run checks the file and reads its
// recorded rate.
#include "sim/scenario/arrival_registry.h"
#include "sim/scenario/scenario_sections.h"

#include <limits>

namespace recsim {

ArrivalKind trace_arrivals() {
  KeyVariant keys{
      "trace",
      "a recorded trace replayed (below); the sizes come from it",
      {{.type = KeyDecl::Type::file, .name = "file", .help = "the trace to replay"},
       {.name = "qps", .required = false, .lo = 0.0, .hi = std::numeric_limits<double>::infinity(), .lo_open = true, .unit = "queries/s",
        .help = "replay the trace at this mean rate: every arrival time is multiplied by (recorded rate / qps), the recorded rate being "
                "the trace's rows / its last arrival time. `recsim capacity` and `tune` vary it",
        .when = "the recorded rate", .also = "the trace's arrivals may not all be at time 0"}},
      {}};
  return {keys, [](JsonReader& arrival, const KeyVariant& k, const std::string& base_dir, ArrivalSpec& spec) {
            spec.trace_file = read_input_file(arrival, k.key("file").name, base_dir);
            // Optional: replay at this mean rate, the time axis scaled (checked against the trace in parse_run).
            spec.trace_rate_given = arrival.has("qps");
            spec.qps = spec.trace_rate_given ? read_number(arrival, k.key("qps")) : 0.0;
          }};
}

}  // namespace recsim
