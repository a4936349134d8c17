#include "sim/engine/offered_load.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace recsim {

std::function<std::string(double now, std::uint64_t measured)> make_overload_check(
    const MeasurementWindow& window, const std::vector<std::unique_ptr<Server>>& servers,
    const std::vector<std::unique_ptr<GpuDevice>>& gpus) {
  return [&window, &servers, &gpus](double now, std::uint64_t measured) -> std::string {
    if (!window.window_open()) return "";
    const double span = now - window.window_start();
    if (span <= 0.0) return "";
    const double per_unit = static_cast<double>(measured) / static_cast<double>(std::max<std::size_t>(1, servers.size()));
    const double limit = 1.0 + std::max(0.05, 4.0 * std::sqrt(2.0 / per_unit));
    auto reason = [&](double offered, const std::string& name) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "offered load %.3f on %s after %llu measured queries: work arrives faster than it can be served",
                    offered, name.c_str(), static_cast<unsigned long long>(measured));
      return std::string(buf);
    };
    for (const auto& server : servers) {
      const double offered = server->offered_work_seconds() / (span * server->host().cpu_cores);
      if (offered >= limit) return reason(offered, server->host().name);
    }
    for (const auto& gpu : gpus) {
      const double offered = gpu->offered_kernel_seconds() / span;
      if (offered >= limit) return reason(offered, gpu->gpu().name);
    }
    return "";
  };
}

RunResults::OfferedBounds offered_bounds(const std::vector<std::unique_ptr<Server>>& servers,
                                         const std::vector<std::unique_ptr<GpuDevice>>& gpus,
                                         const std::vector<std::size_t>& gpu_server, double arrival_span) {
  RunResults::OfferedBounds b;
  for (const auto& s : servers) {
    const double cores = arrival_span * s->host().cpu_cores;
    b.alone = std::max(b.alone, s->offered_alone_seconds() / cores);
    b.all_busy = std::max(b.all_busy, s->offered_all_busy_seconds() / cores);
  }
  std::vector<int> gpus_on(servers.size(), 0);
  for (std::size_t k = 0; k < gpus.size(); ++k) ++gpus_on[gpu_server[k]];
  for (std::size_t k = 0; k < gpus.size(); ++k)
    if (gpus_on[gpu_server[k]] == 1) {
      const double offered = gpus[k]->offered_kernel_seconds() / arrival_span;
      b.alone = std::max(b.alone, offered);
      b.all_busy = std::max(b.all_busy, offered);
    }
  return b;
}

}  // namespace recsim
