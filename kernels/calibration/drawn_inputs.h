#pragma once
// Timed runs on inputs drawn ahead: every timed run of a calibration point (one batch size) gets a
// batch of keys no earlier run used, drawn from the keys' distribution, so the embedding rows it
// gathers are in cache only as often as the power law repeats keys, as in serving. Cycling a few
// batches (recsim before 2026-12-04 cycled 4) kept every row they gather in cache and timed
// embedding-bound models far too fast: DLRM-RMC1 at batch 1 in 0.011 ms instead of 0.16 ms, at 64
// in 1.20 instead of 1.75 ms (docs/validation.md). Used by the CPU and the GPU calibrations.
#include "kernels/model/model_inputs.h"

#include <cstddef>
#include <functional>
#include <vector>

namespace recsim {

// Fresh input batches of one batch size, one per next().
class FreshInputs {
 public:
  FreshInputs(const ModelWeights& weights, int batch, const KeyPopularity& keys, Rng& rng)
      : weights_(weights), batch_(batch), keys_(keys), rng_(rng) {}
  const ModelInputs& next() {
    current_ = make_model_inputs(weights_, batch_, keys_, rng_);
    return current_;
  }

 private:
  const ModelWeights& weights_;
  int batch_;
  KeyPopularity keys_;
  Rng& rng_;
  ModelInputs current_;
};

// The inputs drawn ahead of one point's timed runs take at most this much memory (all instances
// together, when several run at once); beyond it they are cycled.
constexpr std::size_t kInputBytes = std::size_t{256} << 20;

struct TimedRuns {
  int warmup = 2;            // untimed runs first
  int repeats = 15;          // at least this many timed runs
  double min_seconds = 0.25; // ... and at least this much timed work
  int max_repeats = 200;     // ... but no more runs than this for the time
};

// Runs `one` (one timed run, returning its ms) at least t.repeats times and until t.min_seconds of
// timed work, at most t.max_repeats times for the time; returns the runs' times. No warm-up.
std::vector<double> repeat_timed(const std::function<double()>& one, const TimedRuns& t);

// One run of the model on `inputs`, returning its time in ms; `timed` is false for warm-up runs.
using ModelRun = std::function<double(const ModelInputs& inputs, bool timed)>;

// Warm-up, then the timed runs, on batches drawn before the timed runs, not between them: drawing
// keys between runs would evict the model's own buffers and weights from the caches before each one,
// which serving does not. The warm-up's time says how many batches the timed runs will need; more
// are drawn (between runs) only if that estimate falls short. At most `max_bytes` of batches of
// `batch_bytes` each (at least two), cycled beyond. Returns the timed runs' times.
std::vector<double> time_on_drawn_inputs(const ModelRun& run, FreshInputs& fresh, std::size_t batch_bytes,
                                         std::size_t max_bytes, const TimedRuns& t);

}  // namespace recsim
