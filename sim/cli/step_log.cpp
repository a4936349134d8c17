#include "sim/cli/step_log.h"

#include <unistd.h>

#include <cstdio>

namespace recsim {

StepLog::StepLog(std::string command, bool quiet)
    : command_(std::move(command)), quiet_(quiet), terminal_(::isatty(STDERR_FILENO) != 0) {}

void StepLog::step(const std::string& text) {
  if (quiet_) return;
  if (terminal_) {
    std::fprintf(stderr, "\r%s: %s\033[K", command_.c_str(), text.c_str());
    drawn_ = true;
  } else {
    std::fprintf(stderr, "%s: %s\n", command_.c_str(), text.c_str());
  }
  std::fflush(stderr);
}

void StepLog::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace recsim
