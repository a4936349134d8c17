#pragma once
// The machine a result was computed on: the CPU's model name (/proc/cpuinfo) and the CPUs this
// process may use (its affinity mask, which under a container, taskset or a Slurm allocation is
// fewer than the machine's count), when (UTC), and the memory it may still use. The default of every --jobs flag is usable_cpus().
#include <string>

namespace recsim {

std::string host_cpu_model();  // "unknown" when /proc/cpuinfo says nothing
int usable_cpus();             // at least 1
std::string utc_now();         // the time now, "2026-12-02T20:11:07Z"
// Memory this process may use: MemAvailable (/proc/meminfo), or the cgroup's memory.max if lower; 0
// when neither says.
double available_memory_bytes();

}  // namespace recsim
