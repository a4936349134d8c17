#pragma once
// A sweep's or the regression suite's point command (`recsim run|capacity|tune|plan ...`) inside
// this process: validated exactly as that command would before starting work (`--validate-only`),
// so every point is checked before any runs; or run, in a child the sweep has forked
// (sim/sweep/process_pool.h), with the same results as `recsim ARGS...` started afresh.
#include <string>
#include <vector>

namespace recsim {

// Returns the exit status; on failure `error` holds the one-line message.
int validate_in_process(std::vector<std::string> args, std::string* error);

// Runs the command (its provenance records "recsim ARGS...", as the command started afresh would)
// and returns its exit status; errors go to stderr as the executable reports them.
int run_in_process(std::vector<std::string> args);

}  // namespace recsim
