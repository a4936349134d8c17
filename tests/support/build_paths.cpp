#include "support/build_paths.h"

namespace recsim::test {

const std::string& source_dir() {
  static const std::string dir = RECSIM_SOURCE_DIR;
  return dir;
}

const std::string& recsim_binary() {
  static const std::string binary = RECSIM_BINARY;
  return binary;
}

}  // namespace recsim::test
