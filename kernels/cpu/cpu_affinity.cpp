#include "kernels/cpu/cpu_affinity.h"

#include <pthread.h>

namespace recsim {

std::vector<int> affinity_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int c = 0; c < CPU_SETSIZE; ++c)
    if (CPU_ISSET(c, &set)) cpus.push_back(c);
  return cpus;
}

bool pin_current_thread(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

ScopedPin::ScopedPin(int cpu) {
  CPU_ZERO(&saved_);
  if (cpu < 0) return;
  restore_ = pthread_getaffinity_np(pthread_self(), sizeof saved_, &saved_) == 0;
  if (restore_ && !pin_current_thread(cpu)) restore_ = false;
}

ScopedPin::~ScopedPin() {
  if (restore_) pthread_setaffinity_np(pthread_self(), sizeof saved_, &saved_);
}

}  // namespace recsim
