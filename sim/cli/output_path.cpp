#include "sim/cli/output_path.h"

#include "workloads/input_error.h"

#include <unistd.h>

#include <filesystem>

namespace recsim {

void check_output_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError("--out", "\"" + path + "\" is a directory; expected a file path");
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    throw InputError("--out", "directory \"" + dir.string() + "\" does not exist");
  if (::access(dir.c_str(), W_OK) != 0) throw InputError("--out", "directory \"" + dir.string() + "\" is not writable");
}

}  // namespace recsim
