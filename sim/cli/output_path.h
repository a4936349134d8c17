#pragma once
// Checks, before a run starts, that `--out FILE` can be written: its directory exists and is
// writable, and FILE is not a directory. Throws InputError naming "--out".
#include <string>

namespace recsim {

void check_output_path(const std::string& path);

}  // namespace recsim
