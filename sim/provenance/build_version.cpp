#include "sim/provenance/build_version.h"

namespace recsim {
namespace {
std::string& stored_command_line() {
  static std::string line;
  return line;
}
}  // namespace

void set_command_line(const std::string& line) { stored_command_line() = line; }
const std::string& command_line() { return stored_command_line(); }

std::string version_line() {
  std::string line = std::string("recsim ") + kRecsimVersion + " (commit " + kRecsimCommit;
  if (kRecsimDirty) line += ", with uncommitted changes";
  return line + ")";
}

}  // namespace recsim
