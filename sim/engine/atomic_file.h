#pragma once
// Writes a file atomically: the content goes to a temporary file beside the target, which is then
// renamed over it, so readers never see a partial results file.
#include <string>

namespace recsim {

// Throws std::runtime_error naming the path on failure (and leaves no temporary file behind).
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace recsim
