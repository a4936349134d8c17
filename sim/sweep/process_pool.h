#pragma once
// Runs commands as child processes, at most `jobs` at once, in the order given: the sweep's and the
// regression suite's local pool. Each child runs its task with stdin and stdout on /dev/null and
// stderr into its task's file; it is killed if this process dies (PR_SET_PDEATHSIG), so a killed
// sweep leaves no orphan computing a point nobody collects. A child is this process forked: with a
// CommandRunner it runs the command right there (no new executable: no start-up of its shared
// libraries, and the profiles and model files this process has parsed are already in memory,
// docs/sweeps.md); without one it executes `executable args...`.
#include "sim/sweep/command_validator.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace recsim {

struct PoolTask {
  std::vector<std::string> args;  // without the executable
  std::string stderr_file;
};

// Calls `done(task index, status)` in this process as each child ends: status is the exit status,
// or 128 + the signal that ended it. `may_start(task index)`, asked just before a task would start,
// can skip it (false: neither started nor reported). Throws std::runtime_error if a child cannot be
// started.
void run_process_pool(const std::string& executable, const std::vector<PoolTask>& tasks, int jobs,
                      const std::function<bool(std::size_t)>& may_start, const std::function<void(std::size_t, int)>& done,
                      const CommandRunner& in_process = {});

// The last non-empty line of a file (a finished task's stderr: a command's error line is its last);
// empty when there is none.
std::string last_line_of(const std::string& path);

// This process's own executable (/proc/self/exe).
std::string own_executable();

}  // namespace recsim
