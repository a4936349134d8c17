#pragma once
// What this build of recsim is: its version (CMakeLists.txt's project version), the git commit its
// sources came from ("unknown" outside a git checkout) and whether tracked files had uncommitted
// changes. Stamped at every build by scripts/version.cmake.
#include <string>

namespace recsim {

extern const char* const kRecsimVersion;
extern const char* const kRecsimCommit;
extern const bool kRecsimDirty;

// "recsim 0.1.0 (commit 0123…, with uncommitted changes)": `recsim --version`.
std::string version_line();

// The process's command line, set once by the command-line entry point (empty in tests).
void set_command_line(const std::string& line);
const std::string& command_line();

}  // namespace recsim
