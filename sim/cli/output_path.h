#pragma once
// Checks, before any work starts, that an output flag's FILE can be written the way recsim writes
// outputs (sim/engine/atomic_file.h), and throws InputError naming the flag when it cannot:
//   - FILE is a regular file or does not exist yet: never a directory, symbolic link, FIFO, device
//     or socket (the final rename would replace the link, or a write would block or hit a device);
//   - FILE is none of `inputs` (the scenario and every file it read) nor another output of the run;
//   - its directory exists and is writable;
//   - its name leaves room for the temporary file's suffix within the file system's name limit, and
//     the whole path within PATH_MAX.
#include <string>
#include <vector>

namespace recsim {

void check_output_path(const std::string& flag, const std::string& path, const std::vector<std::string>& inputs = {},
                       const std::vector<std::string>& other_outputs = {});

}  // namespace recsim
