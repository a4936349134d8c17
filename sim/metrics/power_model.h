#pragma once
// The power of one server from its utilisation, linear in it (Fan, Weber and Barroso, ISCA 2007):
// P = other + cpu_idle + (cpu_busy − cpu_idle) · u_cpu + Σ_gpus [gpu_idle + (gpu_busy − gpu_idle) · u_gpu],
// u_cpu the mean busy fraction of its cores, u_gpu a GPU's kernel-busy fraction. Over a window of
// T seconds the energy is P · T, i.e. the idle power for T plus the busy increments for the busy
// core-seconds (/ cores) and GPU-seconds: exact for any load, since power is linear in the busy time.
#include "sim/scenario/fleet.h"

#include <vector>

namespace recsim {

inline double server_power_w(const PowerSpec& p, double cpu_utilization, const std::vector<double>& gpu_busy) {
  double w = p.other_w + p.cpu_idle_w + (p.cpu_busy_w - p.cpu_idle_w) * cpu_utilization;
  for (double u : gpu_busy) w += p.gpu_idle_w + (p.gpu_busy_w - p.gpu_idle_w) * u;
  return w;
}

}  // namespace recsim
