// bursty: a two-state Markov-modulated Poisson process (on-off bursts) of mean rate qps: bursts
// begin at a given frequency, last an exponential time of a given mean, and raise the rate by a
// factor; the burst schedule has its own random numbers, the same at any rate
// (workloads/cumulative_rate.h).
#include "sim/scenario/arrival_registry.h"
#include "workloads/modulated_arrivals.h"

#include <limits>

namespace recsim {

ArrivalKind bursty_arrivals() {
  KeyVariant keys{
      "bursty",
      "on-off bursts (a two-state MMPP) around the mean rate `qps`: outside bursts the rate is c × qps, in a burst `burst_factor` × "
      "c × qps, c making the long-run mean qps; the schedule of bursts is the same at any rate",
      {{.name = "qps", .lo = 0.0, .hi = std::numeric_limits<double>::infinity(), .lo_open = true, .unit = "queries/s",
        .help = "the long-run mean rate"},
       {.name = "burst_factor", .lo = 1.0, .hi = 1e6, .help = "the rate in a burst over the rate outside one"},
       {.name = "burst_s", .lo = 1e-6, .hi = 1e9, .unit = "s", .help = "the mean length of a burst (exponential)"},
       {.name = "bursts_per_hour", .lo = 1e-6, .hi = 1e9, .help = "how often bursts begin, per hour outside bursts (exponential gaps)"}},
      {}};
  return {keys, [](JsonReader& arrival, const KeyVariant& k, const std::string&, ArrivalSpec& spec) {
            spec.qps = read_number(arrival, k.key("qps"));
            const double factor = read_number(arrival, k.key("burst_factor"));
            const double length = read_number(arrival, k.key("burst_s"));
            const double per_s = read_number(arrival, k.key("bursts_per_hour")) / 3600.0;
            // Two state changes per cycle of a gap and a burst.
            spec.events_per_s = 2.0 / (1.0 / per_s + length);
            spec.events_key = arrival.child_path("bursts_per_hour");
            // In a burst the rate is factor x c, c = 1 / (1 + (factor - 1) x the share of time in bursts).
            spec.peak_to_mean = factor / (1.0 + (factor - 1.0) * length / (1.0 / per_s + length));
            spec.make = [factor, length, per_s](double qps, std::uint64_t seed) {
              // The bursts' own stream (index 1): the same schedule whatever the rate.
              return std::make_unique<ModulatedArrivals>(qps, make_burst_rate(factor, length, per_s, make_stream(seed, StreamId::arrivals, 1)),
                                                         make_stream(seed, StreamId::arrivals));
            };
          }};
}

}  // namespace recsim
