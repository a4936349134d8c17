// diurnal: a Poisson process whose rate follows a curve over the day (or any period) around its mean
// rate qps: a sinusoid given by its peak-to-trough ratio and the time of its peak, or a
// piecewise-linear table of relative rates from a CSV file (workloads/modulated_arrivals.h).
#include "sim/scenario/arrival_registry.h"

#include "sim/scenario/scenario_sections.h"
#include "workloads/input_error.h"
#include "workloads/modulated_arrivals.h"
#include "workloads/rate_table_file.h"

#include <algorithm>
#include <limits>

namespace recsim {

ArrivalKind diurnal_arrivals() {
  using T = KeyDecl::Type;
  KeyVariant keys{
      "diurnal",
      "a Poisson process whose rate follows a curve of mean 1 around `qps` (a time change of the same unit draws, so capacity "
      "searches scale it by its mean rate): a sinusoid, or a table",
      {{.name = "qps", .lo = 0.0, .hi = std::numeric_limits<double>::infinity(), .lo_open = true, .unit = "queries/s",
        .help = "the mean rate over the period"},
       {.name = "peak_to_trough", .lo = 1.0, .hi = 1e6, .help = "a sinusoid: the peak rate over the trough rate"},
       {.name = "period_s", .required = false, .lo = 1e-3, .hi = 1e9, .fallback = 86400.0, .unit = "s", .help = "a sinusoid: its period"},
       {.name = "peak_at_s", .required = false, .lo = 0.0, .hi = 1e9, .unit = "s", .help = "a sinusoid: the time of its first peak",
        .when = "half the period"},
       {.type = T::file, .name = "file", .required = false,
        .help = "a table: CSV lines `t_s,relative_rate` (optional header, `#` comments), times from 0 strictly increasing, rates "
                ">= 0; the rate is linear between rows and repeats with the last time as its period, scaled to mean 1"}},
      {{"peak_to_trough"}, {"file"}}};
  return {keys, [](JsonReader& arrival, const KeyVariant& k, const std::string& base_dir, ArrivalSpec& spec) {
            spec.qps = read_number(arrival, k.key("qps"));
            if (arrival.has("file")) {
              for (const char* key : {"peak_to_trough", "period_s", "peak_at_s"})
                if (arrival.has(key))
                  throw InputError(arrival.child_path(key), "give either a sinusoid (peak_to_trough, period_s, peak_at_s) or a table (file), not both");
              spec.file = read_input_file(arrival, "file", base_dir);
              auto table = std::make_shared<const std::vector<std::pair<double, double>>>(read_rate_table(spec.file));
              // Linear between rows: the mean is the trapezoids' area over the period.
              double area = 0.0, most = 0.0;
              for (std::size_t i = 0; i < table->size(); ++i) {
                most = std::max(most, (*table)[i].second);
                if (i > 0) area += ((*table)[i].first - (*table)[i - 1].first) * ((*table)[i].second + (*table)[i - 1].second) / 2;
              }
              const double period = table->back().first - table->front().first;
              if (area > 0.0 && period > 0.0) spec.peak_to_mean = most / (area / period);
              spec.make = [table](double qps, std::uint64_t seed) {
                return std::make_unique<ModulatedArrivals>(qps, make_table_rate(*table), make_stream(seed, StreamId::arrivals));
              };
              return;
            }
            if (!arrival.has("peak_to_trough"))
              throw InputError(arrival.child_path("peak_to_trough"), "required: a sinusoid's peak-to-trough ratio, or a table (file)");
            const double ratio = read_number(arrival, k.key("peak_to_trough"));
            const double period = read_number(arrival, k.key("period_s"));
            const double peak = arrival.has("peak_at_s") ? read_number(arrival, k.key("peak_at_s")) : period / 2;
            spec.peak_to_mean = 2.0 * ratio / (ratio + 1.0);  // 1 + (ratio - 1) / (ratio + 1)
            spec.make = [ratio, period, peak](double qps, std::uint64_t seed) {
              return std::make_unique<ModulatedArrivals>(qps, make_sinusoid_rate(period, ratio, peak), make_stream(seed, StreamId::arrivals));
            };
          }};
}

}  // namespace recsim
