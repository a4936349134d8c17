#include "sim/scenario/deployment_check.h"

#include "sim/service/service_time_model.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <filesystem>

namespace recsim {

void check_deployment(const SchedulerSpec& s, const ServiceSpec* service_on_kind, const ServerKind& k, const std::string& path) {
  if (s.instances > 0 && static_cast<long long>(s.instances) * s.intra_op_threads > k.cpu_cores)
    throw InputError(path + ".instances", std::to_string(s.instances) + " instances of " + std::to_string(s.intra_op_threads) + " core" +
                                              (s.intra_op_threads == 1 ? "" : "s") + " need " +
                                              std::to_string(static_cast<long long>(s.instances) * s.intra_op_threads) + " cores; server kind \"" +
                                              k.name + "\" has " + std::to_string(k.cpu_cores));
  if (s.intra_op_threads <= 1 || !service_on_kind) return;
  const ServiceSpec& service = *service_on_kind;
  if (service.type != "model")
    throw InputError(path + ".intra_op_threads", "needs a service of type \"model\": a \"" + service.type +
                                                     "\" service has no curve measured with several threads");
  if (intra_op_thread_curve(service, s.intra_op_threads)) return;
  std::string measured;
  for (const auto& [t, curve] : service.intra_op_thread_curves) measured += (measured.empty() ? "" : ", ") + std::to_string(t);
  throw InputError(path + ".intra_op_threads",
                   "the CPU profile " + std::filesystem::path(service.profile_file).filename().string() + " has no curve for \"" + service.model +
                       "\" with " + std::to_string(s.intra_op_threads) + " threads (it has " + (measured.empty() ? "none" : measured) +
                       "; `recsim calibrate --intra-op-threads` measures them)");
}

void check_deployments_fit(const Fleet& fleet, const std::function<std::string(std::size_t, std::size_t)>& scheduler_path) {
  for (std::size_t g = 0; g < fleet.groups.size(); ++g) {
    const ServerGroup& group = fleet.groups[g];
    const auto kind = static_cast<std::size_t>(group.kind);
    int dedicated = 0;
    std::string owners, sharer;
    std::size_t last = 0;
    for (std::size_t m = 0; m < fleet.models.size(); ++m) {
      const FleetModel& model = fleet.models[m];
      if (!std::binary_search(model.groups.begin(), model.groups.end(), static_cast<int>(g))) continue;
      const SchedulerSpec& s = model.scheduler[kind];
      if (s.instances == 0) {
        if (sharer.empty()) sharer = model.name;
        continue;
      }
      const int cores = s.instances * s.intra_op_threads;
      dedicated += cores;
      owners += (owners.empty() ? "" : ", ") + model.name + " " + std::to_string(cores);
      last = m;
    }
    if (dedicated == 0) continue;
    const std::string where = "server group \"" + group.name + "\" (" + std::to_string(group.cpu_cores) + " cores per server)";
    if (dedicated > group.cpu_cores)
      throw InputError(scheduler_path(last, kind) + ".instances",
                       "on " + where + " the models' instances take " + std::to_string(dedicated) + " cores (" + owners + ")");
    if (dedicated == group.cpu_cores && !sharer.empty())
      throw InputError(scheduler_path(last, kind) + ".instances", "on " + where + " the models' instances take every core (" + owners +
                                                                     "), leaving none for \"" + sharer + "\", which shares them");
  }
}

}  // namespace recsim
