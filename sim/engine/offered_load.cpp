#include "sim/engine/offered_load.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace recsim {

namespace {
// The pools of workers the checks look at (one per server but where models have instances).
std::size_t pools_of(const std::vector<std::unique_ptr<Server>>& servers) {
  std::size_t n = 0;
  for (const auto& s : servers) n += s->pools();
  return n;
}

// A server's name, with the pool's where its models do not all share its cores.
std::string pool_name(const Server& server, const Server::PoolLoad& pool) {
  return pool.label.empty() ? server.host().name : server.host().name + " (" + pool.label + ")";
}
}  // namespace

std::function<std::string(double now, std::uint64_t measured)> make_overload_check(
    const MeasurementWindow& window, const std::vector<std::unique_ptr<Server>>& servers,
    const std::vector<std::unique_ptr<GpuDevice>>& gpus) {
  // The largest of n standardised sums exceeds 4 + sqrt(2 ln n) with a chance far below 1e-4
  // (the maximum of n normals concentrates at sqrt(2 ln n)): a fleet's many servers raise no
  // false alarm by their number.
  const double units = static_cast<double>(std::max<std::size_t>(1, pools_of(servers) + gpus.size()));
  const double z = 4.0 + std::sqrt(2.0 * std::log(units));
  return [&window, &servers, &gpus, z](double now, std::uint64_t measured) -> std::string {
    if (!window.window_open()) return "";
    const double span = now - window.window_start();
    if (span <= 0.0) return "";
    auto over = [&](double work, double square_sum, double capacity) { return work / capacity >= 1.0 + std::max(0.05, z * std::sqrt(square_sum) / capacity); };
    auto reason = [&](double offered, const std::string& name) {
      char buf[200];
      std::snprintf(buf, sizeof buf, "offered load %.3f on %s after %llu measured queries: work arrives faster than it can be served",
                    offered, name.c_str(), static_cast<unsigned long long>(measured));
      return std::string(buf);
    };
    for (const auto& server : servers)
      for (const auto& pool : server->pool_loads()) {
        const double capacity = span * pool.workers;
        if (capacity > 0.0 && over(pool.work, pool.square_sum, capacity)) return reason(pool.work / capacity, pool_name(*server, pool));
      }
    for (const auto& gpu : gpus)
      if (over(gpu->offered_kernel_seconds(), gpu->offered_kernel_square_sum(), span))
        return reason(gpu->offered_kernel_seconds() / span, gpu->gpu().name);
    return "";
  };
}

std::string overload_verdict(const std::vector<std::unique_ptr<Server>>& servers, const std::vector<std::unique_ptr<GpuDevice>>& gpus,
                             double arrival_span) {
  char buf[240];
  std::vector<double> group_work, group_capacity;
  for (const auto& s : servers) {
    const auto g = static_cast<std::size_t>(s->host().group);
    if (g >= group_work.size()) {
      group_work.resize(g + 1, 0.0);
      group_capacity.resize(g + 1, 0.0);
    }
    group_work[g] += s->offered_work_seconds();
    group_capacity[g] += arrival_span * s->host().cpu_cores;
  }
  for (std::size_t g = 0; g < group_work.size(); ++g) {
    if (group_capacity[g] <= 0.0 || group_work[g] < group_capacity[g]) continue;
    std::string name;
    for (const auto& s : servers)
      if (static_cast<std::size_t>(s->host().group) == g) name = s->host().name.substr(0, s->host().name.rfind('-'));
    std::snprintf(buf, sizeof buf, "offered load %.3f >= 1 over group %s: work arrives faster than its cores can serve it",
                  group_work[g] / group_capacity[g], name.c_str());
    return buf;
  }
  const double units = static_cast<double>(std::max<std::size_t>(1, pools_of(servers) + gpus.size()));
  const double allowance = std::sqrt(2.0 * std::log(units));
  auto over = [&](double work, double square_sum, double capacity, const std::string& name, const char* what) -> std::string {
    const double offered = work / capacity, noise = std::sqrt(square_sum) / capacity;
    if (offered < 1.0 + allowance * noise) return "";
    if (units <= 1.0)
      std::snprintf(buf, sizeof buf, "offered load %.3f >= 1 on %s: %s", offered, name.c_str(), what);
    else
      std::snprintf(buf, sizeof buf, "offered load %.3f on %s, beyond the noise of %.0f servers and GPUs (1 + %.2f x %.3f): %s", offered,
                    name.c_str(), units, allowance, noise, what);
    return buf;
  };
  for (const auto& s : servers)
    for (const auto& pool : s->pool_loads()) {
      if (pool.workers == 0) continue;
      std::string reason = over(pool.work, pool.square_sum, arrival_span * pool.workers, pool_name(*s, pool),
                                "work arrives faster than its cores can serve it");
      if (!reason.empty()) return reason;
    }
  for (const auto& g : gpus) {
    std::string reason = over(g->offered_kernel_seconds(), g->offered_kernel_square_sum(), arrival_span, g->gpu().name,
                              "queries arrive faster than it can run them");
    if (!reason.empty()) return reason;
  }
  return "";
}

RunResults::OfferedBounds offered_bounds(const std::vector<std::unique_ptr<Server>>& servers,
                                         const std::vector<std::unique_ptr<GpuDevice>>& gpus,
                                         const std::vector<std::size_t>& gpu_server, double arrival_span) {
  RunResults::OfferedBounds b;
  for (const auto& s : servers)
    for (const auto& pool : s->pool_loads()) {
      if (pool.workers == 0) continue;
      const double workers = arrival_span * pool.workers;
      b.alone = std::max(b.alone, pool.alone / workers);
      b.all_busy = std::max(b.all_busy, pool.all_busy / workers);
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
