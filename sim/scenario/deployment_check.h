#pragma once
// The checks of a model's deployment on its servers (scheduler.instances, scheduler.intra_op_threads;
// sim/engine/server.h): each error one line naming the scheduler key at fault.
#include "sim/scenario/fleet.h"

#include <functional>
#include <string>

namespace recsim {

// A model's deployment on one server kind: its instances' cores fit the kind's, and its service on
// the kind (null: none) has a curve for its intra-op threads. `path` names the scheduler object that
// gives it ("scheduler", "models.2.scheduler_by_kind.xeon", ...).
void check_deployment(const SchedulerSpec& scheduler, const ServiceSpec* service, const ServerKind& kind, const std::string& path);
// The models placed on each group: their instances' cores in all at most each server's, and at
// least one core left where a model placed there shares them. `scheduler_path(model, kind)` names
// the scheduler object giving model `model` its deployment on kind `kind`.
void check_deployments_fit(const Fleet& fleet, const std::function<std::string(std::size_t, std::size_t)>& scheduler_path);

}  // namespace recsim
