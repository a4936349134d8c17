#include "kernels/data_dir.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace recsim {
namespace {

// PREFIX/share/recsim when this process runs PREFIX/bin/EXECUTABLE and that folder holds the models.
std::string installed_dir() {
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = '\0';
  const std::filesystem::path share = std::filesystem::path(self).parent_path().parent_path() / "share" / "recsim";
  std::error_code ec;
  return std::filesystem::is_directory(share / "kernels" / "models", ec) ? share.string() : "";
}

}  // namespace

std::string recsim_data_dir() {
  if (const char* dir = std::getenv("RECSIM_DATA_DIR"); dir && *dir) return dir;
  static const std::string installed = installed_dir();
  return installed.empty() ? std::string(RECSIM_SOURCE_DIR) : installed;
}

}  // namespace recsim
