#include "sim/cli/output_path.h"

#include "sim/engine/atomic_file.h"
#include "workloads/input_error.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

namespace recsim {
namespace {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) return fs::equivalent(a, b, ec) && !ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

void check_output_path(const std::string& flag, const std::string& path, const std::vector<std::string>& inputs,
                       const std::vector<std::string>& other_outputs) {
  const std::string quoted = "\"" + path + "\"";
  if (path.empty()) throw InputError(flag, "expected a file path, got an empty string");
  if (path.size() + kAtomicFileSuffixBytes >= PATH_MAX)
    throw InputError(flag, "the path has " + std::to_string(path.size()) + " bytes; at most " +
                               std::to_string(PATH_MAX - 1 - kAtomicFileSuffixBytes) +
                               " leave room for the temporary file recsim writes beside it");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw InputError(flag, quoted + " is " + kind_of(st.st_mode) + "; recsim writes results only to regular files");
  for (const auto& input : inputs)
    if (same_file(path, input)) throw InputError(flag, quoted + " is an input of this run (" + input + "); choose another file");
  for (const auto& other : other_outputs)
    if (same_file(path, other)) throw InputError(flag, quoted + " is also another output of this run");
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(flag, "directory \"" + dir.string() + "\" does not exist");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) throw InputError(flag, "directory \"" + dir.string() + "\" is not writable");
  const std::string name = fs::path(path).filename().string();
  if (name.empty() || name == "." || name == "..") throw InputError(flag, quoted + " names a directory; expected a file path");
  const long name_max = ::pathconf(dir.c_str(), _PC_NAME_MAX);
  const std::size_t limit = name_max > 0 ? static_cast<std::size_t>(name_max) : 255;
  if (name.size() + kAtomicFileSuffixBytes > limit)
    throw InputError(flag, "the file name has " + std::to_string(name.size()) + " bytes; at most " +
                               std::to_string(limit - kAtomicFileSuffixBytes) +
                               " leave room for the temporary file recsim writes beside it");
}

}  // namespace recsim
