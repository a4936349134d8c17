#pragma once
// The stability limit of a format-1 scenario's CPUs: the Poisson rate at which their mean offered
// work per second reaches the cores they have, c / E[S], with E[S] the mean core time of a query
// while every core is busy (as at saturation: the profile's mean time per request, its all-busy
// contention, cold sizes where they make a request faster; after-idle slowdowns cannot happen with
// no core idle), exact over the query-size distribution
// (QuerySizeDistribution::expectation). At or above it the queue grows without bound whatever a
// finite run shows, so the capacity search answers below it (docs/capacity.md). Offloaded queries
// (deeprecsched) leave the CPUs; a GPU's own limit is not counted, so the limit stays an upper
// bound. None where the work per query is not known from the scenario alone: arrival traces (their
// sizes), fleets (format 2), policies other than static, cpu-only and deeprecsched.
#include "sim/scenario/scenario.h"

#include <optional>

namespace recsim {

std::optional<double> cpu_stability_limit_qps(const Scenario& scenario);

}  // namespace recsim
