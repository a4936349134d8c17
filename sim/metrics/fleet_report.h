#pragma once
// The datacenter results of a format-2 run (RunResults::datacenter): per model, per server group
// and per server kind, the latency split, power and energy, cost, and the balancer's imbalance,
// read from the fleet-wide results already collected (per-server utilisation) and the FleetMetrics
// observer.
#include "sim/engine/platform.h"
#include "sim/metrics/fleet_metrics.h"
#include "sim/metrics/run_results.h"
#include "sim/scenario/fleet.h"

namespace recsim {

struct FleetReportInput {
  const Fleet& fleet;
  const Platform& platform;
  const FleetMetrics& metrics;
  const RunResults& run;  // with its per-server utilisation filled
  double window;          // the measurement window, seconds
  double end;             // virtual time at the end of the run
};

DatacenterResults fleet_report(const FleetReportInput& in);

}  // namespace recsim
