#pragma once
// How the sweep runner and the regression suite check a point's command line before any work
// without depending on the command-line layer: the caller passes the check (`recsim` passes
// validate_in_process, which runs the command's own validation in this process).
#include <functional>
#include <string>
#include <vector>

namespace recsim {

// The exit status the command would give at once (0: valid), and its one-line error.
using CommandValidator = std::function<int(const std::vector<std::string>& args, std::string* error)>;

}  // namespace recsim
