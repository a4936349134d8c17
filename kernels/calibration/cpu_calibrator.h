#pragma once
// CPU calibration: runs a model's oneDNN kernels at each batch size and records the latency
// distribution, (1) alone on one core, back to back, (2) while every core runs its own instance at
// once (contention), and optionally (3) handed to a thread that was waiting idle for one of several
// gaps (after idle), (4) after dozens of runs of other sizes (cold) and (5) alone with several
// intra-op threads, so the simulator can model a busy server, the requests that find a core idle,
// request sizes the core has not run lately and requests that run on several cores. Every
// instance's thread is pinned to a CPU of its own, as real serving pins its workers.
#include "kernels/model/model_inputs.h"
#include "kernels/model/model_spec.h"
#include "kernels/profiles/batch_ladder.h"
#include "kernels/profiles/latency_profile.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace recsim {

struct CpuCalibrationOptions {
  std::vector<int> batches;          // batch sizes to measure
  int passes = 5;                    // walks over the ladder; samples are pooled across passes
  int repeats = 15;                  // minimum timed runs per batch size (over all passes)
  double min_seconds = 0.25;         // ... and at least this much timed work per batch size
  int max_repeats = 200;
  int warmup = 2;                    // untimed runs first
  int instances = 1;                 // contention: instances at once (0 or 1: no contention run)
  std::vector<int> levels;           // contention: lower levels also measured (each in [2, instances - 1], increasing)
  // After idle: timed runs handed to the instance's pinned thread after it waited each of these
  // gaps (increasing; empty: not measured), timed from the hand-over (wake-up and cooled caches
  // included), each followed by a second run timed on its own.
  std::vector<double> after_idle_gaps_ms;
  // Cold sizes: every size up to 64 timed in a shuffled mixture of all sizes up to 64, so that its
  // primitives and buffers have left the caches, as a remainder size's have on a serving core.
  bool cold_sizes = true;
  // Intra-op threads: each batch size also timed alone with each of these thread counts (OpenMP,
  // increasing from 2, at most the CPUs this process may use; empty: not measured), the instance's
  // threads pinned one per CPU to the first ones.
  std::vector<int> intra_op_threads;
  double max_table_bytes = 512e6;    // tables are shrunk (rows_scale) to fit
  KeyPopularity keys{KeyPopularity::Kind::power_law, 1.05};
  std::uint64_t seed = 1;
};


// The intra-op thread counts `recsim calibrate` measures by default with `cpus` CPUs (the lesser of
// its --threads and the CPUs it may use): the powers of two from 2 below it, and `cpus` itself.
std::vector<int> default_intra_op_threads(int cpus);

// The after-idle gaps `recsim calibrate` and `recsim validate` measure by default, ms: a short
// pause (the thread's wake-up), and pauses long enough for the caches to cool.
inline std::vector<double> default_after_idle_gaps_ms() { return {2.0, 10.0, 50.0}; }

// Measures one model. `progress` is told each finished batch size ("dlrm-rmc1 batch 64: 1.23 ms").
ModelLatency calibrate_cpu_model(const ModelSpec& spec, const CpuCalibrationOptions& options,
                                 const std::function<void(const std::string&)>& progress);

// One point of the calibration's alone measurement, repeatable: a batch size timed back to back on
// the calling thread with fresh keys, as calibrate_cpu_model times it. For checking how far the
// machine's speed has moved since a profile was measured (recsim validate's drift check).
class CpuPointTimer {
 public:
  CpuPointTimer(std::shared_ptr<const ModelWeights> weights, int batch, std::uint64_t seed);
  ~CpuPointTimer();
  // At least `repeats` timed runs and `min_seconds` of timed work (bounded by `max_repeats`).
  LatencyPoint measure(int repeats, double min_seconds, int max_repeats);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Summary statistics of latency samples (milliseconds).
LatencyPoint summarise_samples(int batch, std::vector<double> samples_ms);

}  // namespace recsim
