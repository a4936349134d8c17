#pragma once
// How the sweep runner and the regression suite check a point's command line before any work, and
// run it, without depending on the command-line layer: the caller passes the check and the runner
// (`recsim` passes validate_in_process and run_in_process: sim/cli/command_in_process.h).
#include <functional>
#include <string>
#include <vector>

namespace recsim {

// The exit status the command would give at once (0: valid), and its one-line error.
using CommandValidator = std::function<int(const std::vector<std::string>& args, std::string* error)>;

// Runs the command `recsim ARGS...` in this process and returns its exit status: the pool calls it
// in a child it has forked (sim/sweep/process_pool.h) instead of starting the executable again.
using CommandRunner = std::function<int(const std::vector<std::string>& args)>;

}  // namespace recsim
