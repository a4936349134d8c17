#pragma once
// The progress of `recsim tune` and `recsim capacity` on stderr, one step (a configuration, a
// rate) at a time: on a terminal the latest step redrawn in place on one line, cleared before the
// answer; otherwise (a log) each step on a line of its own. Nothing with --quiet.
#include <string>

namespace recsim {

class StepLog {
 public:
  StepLog(std::string command, bool quiet);
  void step(const std::string& text);
  // Clears the terminal's line (a log keeps its lines).
  void finish();

 private:
  std::string command_;
  bool quiet_;
  bool terminal_;
  bool drawn_ = false;
};

}  // namespace recsim
