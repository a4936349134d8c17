#pragma once
// The progress bar of `recsim run` on stderr: virtual time and queries done, redrawn at most ten
// times a wall-clock second. Only used when stderr is a terminal.
#include "sim/engine/load_generator.h"

#include <chrono>

namespace recsim {

class ProgressBar {
 public:
  void update(const Progress& progress);
  // Clears the bar's line.
  void finish();

 private:
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace recsim
