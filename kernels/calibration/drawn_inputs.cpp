#include "kernels/calibration/drawn_inputs.h"

#include <algorithm>
#include <cmath>

namespace recsim {

std::vector<double> repeat_timed(const std::function<double()>& one, const TimedRuns& t) {
  std::vector<double> samples;
  double total = 0;
  while (static_cast<int>(samples.size()) < t.repeats ||
         (total < t.min_seconds * 1e3 && static_cast<int>(samples.size()) < t.max_repeats)) {
    const double ms = one();
    samples.push_back(ms);
    total += ms;
  }
  return samples;
}

std::vector<double> time_on_drawn_inputs(const ModelRun& run, FreshInputs& fresh, std::size_t batch_bytes,
                                         std::size_t max_bytes, const TimedRuns& t) {
  const std::size_t cap = std::max<std::size_t>(2, max_bytes / std::max<std::size_t>(1, batch_bytes));
  std::vector<ModelInputs> drawn;
  auto draw_up_to = [&](std::size_t n) {
    n = std::min(n, cap);
    while (drawn.size() < n) drawn.push_back(fresh.next());
  };
  const int warmup = std::max(1, t.warmup);
  draw_up_to(static_cast<std::size_t>(warmup));
  double warm_ms = 0;
  for (int i = 0; i < warmup; ++i) warm_ms = run(drawn[static_cast<std::size_t>(i) % drawn.size()], false);
  const double per_run = std::max(warm_ms, 1e-6);
  const auto needed = static_cast<std::size_t>(
      std::clamp(std::ceil(t.min_seconds * 1e3 / per_run * 1.5) + 1, static_cast<double>(t.repeats),
                 static_cast<double>(std::max(t.repeats, t.max_repeats))));
  draw_up_to(static_cast<std::size_t>(warmup) + needed);
  run(drawn.front(), false);  // untimed: the model's buffers back in cache after the draw
  std::size_t k = static_cast<std::size_t>(warmup);
  return repeat_timed(
      [&] {
        if (k >= drawn.size()) draw_up_to(drawn.size() + needed / 2 + 1);
        return run(drawn[k++ % drawn.size()], true);
      },
      t);
}

}  // namespace recsim
