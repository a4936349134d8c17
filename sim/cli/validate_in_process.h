#pragma once
// Validates a `recsim run|capacity|tune ...` command line in this process, exactly as that command
// would before starting work (`--validate-only`): the sweep and the regression suite check every
// point before any runs. Returns the exit status; on failure `error` holds the one-line message.
#include <string>
#include <vector>

namespace recsim {

int validate_in_process(std::vector<std::string> args, std::string* error);

}  // namespace recsim
