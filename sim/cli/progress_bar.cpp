#include "sim/cli/progress_bar.h"

#include <cstdio>
#include <string>

namespace recsim {

void ProgressBar::update(const Progress& p) {
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100) && p.completed < p.total) return;
  last_draw_ = now;
  drawn_ = true;
  constexpr int kWidth = 30;
  const double fraction = p.total ? static_cast<double>(p.completed) / static_cast<double>(p.total) : 1.0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r[%s] %5.1f%%  virtual time %.3f s  %llu/%llu queries\033[K", bar.c_str(), 100.0 * fraction,
               p.virtual_seconds, static_cast<unsigned long long>(p.completed),
               static_cast<unsigned long long>(p.total));
  std::fflush(stderr);
}

void ProgressBar::finish() {
  if (drawn_) std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace recsim
