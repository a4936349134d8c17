#pragma once
// Runs one simulation in a child process (fork), so that one process can run many simulations
// despite SimGrid's one-engine-per-process rule: tests, capacity searches and tuning use it, and
// several children can run at once. The child sends its results back as JSON through a pipe.
#include "sim/engine/simulation.h"
#include "sim/metrics/run_results.h"
#include "sim/scenario/scenario.h"

#include <sys/types.h>

namespace recsim {

// Blocks until the child is done. Throws std::runtime_error if the child fails.
RunResults simulate_isolated(const Scenario& scenario, const SimulationOptions& options = {});

// The asynchronous form: start() forks, wait() collects. Several may be in flight at once.
class IsolatedRun {
 public:
  explicit IsolatedRun(const Scenario& scenario, const SimulationOptions& options = {});
  IsolatedRun(const IsolatedRun&) = delete;
  IsolatedRun& operator=(const IsolatedRun&) = delete;
  ~IsolatedRun();
  RunResults wait();

 private:
  pid_t pid_ = -1;
  int read_fd_ = -1;
};

}  // namespace recsim
