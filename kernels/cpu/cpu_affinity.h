#pragma once
// Which CPUs a thread runs on. Real serving pins one worker per core; the CPU calibration pins its
// instances the same way, so that what it measures (back to back, after idle, several cores busy)
// is what a pinned worker sees, not a thread the kernel migrates between CPUs.
#include <sched.h>

#include <vector>

namespace recsim {

// The CPUs this process may run on, increasing (empty if they cannot be read).
std::vector<int> affinity_cpus();

// Pins the calling thread to `cpu`; false where the system refuses.
bool pin_current_thread(int cpu);

// Pins the calling thread to `cpu` (where `cpu` >= 0) for the object's life, then puts its former
// CPU set back.
class ScopedPin {
 public:
  explicit ScopedPin(int cpu);
  ~ScopedPin();
  ScopedPin(const ScopedPin&) = delete;
  ScopedPin& operator=(const ScopedPin&) = delete;

 private:
  cpu_set_t saved_;
  bool restore_ = false;
};

}  // namespace recsim
