#include "sim/metrics/fleet_report.h"

#include "sim/metrics/power_model.h"

#include <algorithm>
#include <cmath>

namespace recsim {

DatacenterResults fleet_report(const FleetReportInput& in) {
  DatacenterResults dc;
  const Fleet& fleet = in.fleet;
  dc.balancer = fleet.balancer;
  dc.network = fleet.network.enabled;
  if (fleet.network.enabled) dc.network_model = fleet.network.flow_model ? "flow" : "simgrid";
  dc.network_ms = in.metrics.mean_network_seconds() * 1e3;
  dc.queueing_ms = in.metrics.mean_queueing_seconds() * 1e3;
  dc.retry_ms = in.metrics.mean_retry_seconds() * 1e3;
  dc.service_ms = in.metrics.mean_service_seconds() * 1e3;

  // Per model, and the binding one: the largest observed / target.
  double worst = -1.0;
  for (std::size_t m = 0; m < fleet.models.size(); ++m) {
    const FleetModel& model = fleet.models[m];
    RunResults one;
    one.saturated = in.run.saturated;
    in.metrics.model(m).summarise(in.end, model.sla.percentile, model.sla.target_ms, one);
    ModelResults mr;
    mr.name = model.name;
    mr.share = model.share;
    mr.measured = one.measured;
    mr.throughput_qps = one.throughput_qps;
    mr.latency_ms = one.latency_ms;
    mr.sla = {model.sla.percentile, model.sla.target_ms, one.sla_observed_ms, one.sla_ci95_ms, one.sla_met};
    const double ratio = one.sla_observed_ms ? *one.sla_observed_ms / model.sla.target_ms : 1e300;
    if (ratio > worst) {
      worst = ratio;
      dc.binding_model = model.name;
    }
    dc.models.push_back(std::move(mr));
  }

  // Per group and per kind: utilisation, power, energy.
  bool all_power = true, all_cost = true;
  for (const auto& k : fleet.kinds) {
    all_power = all_power && k.power.has_value();
    all_cost = all_cost && k.cost_per_hour.has_value();
  }
  std::vector<double> group_cpu(fleet.groups.size(), 0.0), group_gpu(fleet.groups.size(), 0.0), group_w(fleet.groups.size(), 0.0);
  std::vector<int> group_gpus(fleet.groups.size(), 0);
  std::vector<std::vector<double>> group_loads(fleet.groups.size());
  for (std::size_t i = 0; i < in.platform.servers.size(); ++i) {
    const ServerHost& host = in.platform.servers[i];
    const ServerUtilization& u = in.run.servers[i];
    const auto g = static_cast<std::size_t>(host.group);
    group_cpu[g] += u.cpu;
    group_loads[g].push_back(u.cpu);
    std::vector<double> gpu_busy;
    for (const auto& gpu : u.gpus) {
      gpu_busy.push_back(gpu.busy);
      group_gpu[g] += gpu.busy;
      ++group_gpus[g];
    }
    const ServerKind& kind = fleet.kinds[static_cast<std::size_t>(host.kind)];
    if (kind.power) group_w[g] += server_power_w(*kind.power, u.cpu, gpu_busy);
  }
  std::vector<KindResults> kinds(fleet.kinds.size());
  std::vector<double> kind_cpu(fleet.kinds.size(), 0.0), kind_gpu(fleet.kinds.size(), 0.0), kind_w(fleet.kinds.size(), 0.0);
  std::vector<int> kind_gpus(fleet.kinds.size(), 0);
  for (std::size_t k = 0; k < fleet.kinds.size(); ++k) {
    kinds[k].name = fleet.kinds[k].name;
    kinds[k].cpu_profile = fleet.kinds[k].cpu_profile;
    kinds[k].gpu_profile = fleet.kinds[k].gpu_profile;
    if (fleet.kinds[k].power) kinds[k].power_source = fleet.kinds[k].power->source;
    for (const auto& m : fleet.models)
      if (const ServiceSpec* svc = m.service[k].get(); svc && svc->type == "model") {
        kinds[k].cpu_source = svc->profile_source;
        kinds[k].gpu_source = svc->gpu_profile_source;
      }
  }
  double fleet_w = 0.0, fleet_cost = 0.0;
  double cv_sum = 0.0;
  for (std::size_t g = 0; g < fleet.groups.size(); ++g) {
    const ServerGroup& group = fleet.groups[g];
    const auto k = static_cast<std::size_t>(group.kind);
    const ServerKind& kind = fleet.kinds[k];
    GroupResults gr;
    gr.name = group.name;
    gr.kind = kind.name;
    gr.servers = group.count;
    gr.measured = in.metrics.group(g).count();
    if (gr.measured > 0) gr.latency_ms = summarise_latency(in.metrics.group(g));
    gr.cpu_utilization = group_cpu[g] / group.count;
    if (group_gpus[g] > 0) gr.gpu_utilization = group_gpu[g] / group_gpus[g];
    if (kind.power) gr.power = PowerReport{group_w[g], group_w[g] * in.window};
    // Imbalance inside the group: servers of one kind should carry equal loads.
    const auto& loads = group_loads[g];
    double mean = 0.0, sq = 0.0, mx = 0.0;
    for (double x : loads) {
      mean += x;
      mx = std::max(mx, x);
    }
    mean /= static_cast<double>(loads.size());
    for (double x : loads) sq += (x - mean) * (x - mean);
    const double sd = loads.size() > 1 ? std::sqrt(sq / static_cast<double>(loads.size() - 1)) : 0.0;
    if (mean > 0.0) {
      dc.balance.max_over_mean = std::max(dc.balance.max_over_mean, mx / mean);
      cv_sum += sd / mean;
    }
    KindResults& kr = kinds[k];
    kr.servers += group.count;
    kind_cpu[k] += group_cpu[g];
    kind_gpu[k] += group_gpu[g];
    kind_gpus[k] += group_gpus[g];
    kind_w[k] += group_w[g];
    fleet_w += group_w[g];
    if (kind.cost_per_hour) fleet_cost += *kind.cost_per_hour * group.count;
    dc.groups.push_back(std::move(gr));
  }
  dc.balance.cv = fleet.groups.empty() ? 0.0 : cv_sum / static_cast<double>(fleet.groups.size());
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    KindResults& kr = kinds[k];
    if (kr.servers == 0) continue;
    kr.cpu_utilization = kind_cpu[k] / kr.servers;
    if (kind_gpus[k] > 0) kr.gpu_utilization = kind_gpu[k] / kind_gpus[k];
    if (fleet.kinds[k].power) kr.power = PowerReport{kind_w[k], kind_w[k] * in.window};
    if (fleet.kinds[k].cost_per_hour) kr.cost_per_hour = *fleet.kinds[k].cost_per_hour * kr.servers;
    dc.kinds.push_back(kr);
  }
  if (all_power) {
    EnergyReport e;
    e.mean_power_w = fleet_w;
    e.energy_j = fleet_w * in.window;
    e.joules_per_query = in.run.measured ? e.energy_j / static_cast<double>(in.run.measured) : 0.0;
    e.qps_per_watt = fleet_w > 0.0 ? in.run.throughput_qps / fleet_w : 0.0;
    dc.energy = e;
  }
  if (all_cost) {
    dc.cost_per_hour = fleet_cost;
    if (in.run.throughput_qps > 0.0) dc.cost_per_million_queries = fleet_cost / (in.run.throughput_qps * 3600.0) * 1e6;
  }
  return dc;
}

}  // namespace recsim
