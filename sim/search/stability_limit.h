#pragma once
// The stability limit of a scenario's CPUs: the Poisson rate beyond which their mean offered work
// per second exceeds the cores that can do it, whatever a finite run shows; the capacity search
// answers below it (docs/capacity.md).
//
// For one model on one kind of server (every format-1 scenario with one server kind) it is exact:
// c / E[S], with E[S] the mean core time of a query while every core is busy (as at saturation: the
// profile's mean time per request, its all-busy contention, cold sizes where they make a request
// faster; after-idle slowdowns cannot happen with no core idle), exact over the query-size
// distribution (QuerySizeDistribution::expectation). A fleet (several kinds or models, format 2)
// gets the lower of two necessary conditions, so the limit is an upper bound of the true one under
// any balancer: each model alone on every server hosting it (its share of the rate times its work
// on each group's kind at most the group's cores, Σ_g c_g / E[S_m,g]), and all models together on
// all servers, each at its cheapest kind. Offloaded queries (deeprecsched) leave the CPUs; a GPU's
// own limit is not counted, so the limit stays an upper bound. A model whose work is not known
// from the scenario alone (trace sizes; a policy other than static, cpu-only and deeprecsched)
// bounds nothing and counts as no work in the total; none where no model is known.
//
// With deployments (scheduler.instances), a model's workers on a server are its instances (each
// `intra_op_threads` cores, E[S] its time on them) or the cores its models share, and the
// contention is what a saturated pool guarantees, not every core busy: its own other workers busy,
// (W − 1) T of the C − T cores outside a worker (the shared pool's: shared − 1 of C − 1), so the
// limit stays an upper bound when the other pools idle. Only the models sharing cores everywhere
// count in the all-models condition, over the shared cores.
#include "sim/scenario/scenario.h"

#include <optional>

namespace recsim {

std::optional<double> cpu_stability_limit_qps(const Scenario& scenario);

}  // namespace recsim
