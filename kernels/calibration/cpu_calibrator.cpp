#include "kernels/calibration/cpu_calibrator.h"

#include "kernels/calibration/sample_quantile.h"

#include "kernels/cpu/cpu_model_instance.h"
#include "kernels/cpu/onednn_ops.h"
#include "kernels/model/model_forward.h"

#include <omp.h>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <cstring>
#include <thread>

namespace recsim {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kInputSets = 4;  // distinct inputs cycled through, so no run sees the last one's keys

using Instance = CpuModelInstance;

// Timed runs of one instance at one batch size: warm-up, then at least `repeats` runs and
// `min_seconds` of work.
std::vector<double> measure(Instance& inst, const std::vector<ModelInputs>& inputs, const CpuCalibrationOptions& o) {
  for (int i = 0; i < o.warmup; ++i) inst.run_ms(inputs[static_cast<std::size_t>(i) % inputs.size()]);
  std::vector<double> samples;
  double total = 0;
  while (static_cast<int>(samples.size()) < o.repeats ||
         (total < o.min_seconds * 1e3 && static_cast<int>(samples.size()) < o.max_repeats)) {
    const double ms = inst.run_ms(inputs[samples.size() % inputs.size()]);
    samples.push_back(ms);
    total += ms;
  }
  return samples;
}

// Timed runs handed over to the instance's own thread after it waited idle for `gap_ms`: from the
// hand-over to the run's end, as a request reaching an idle server core sees it.
std::vector<double> measure_after_idle(Instance& inst, const std::vector<ModelInputs>& inputs, const CpuCalibrationOptions& o) {
  std::mutex m;
  std::condition_variable cv;
  bool go = false, done = false, quit = false;
  std::size_t which = 0;
  Clock::time_point finished;
  std::thread worker([&] {
    omp_set_num_threads(1);
    std::unique_lock lock(m);
    for (;;) {
      cv.wait(lock, [&] { return go || quit; });
      if (quit) return;
      go = false;
      const std::size_t k = which;
      lock.unlock();
      inst.run_ms(inputs[k % inputs.size()]);
      const auto t = Clock::now();
      lock.lock();
      finished = t;
      done = true;
      cv.notify_all();
    }
  });
  std::vector<double> samples;
  double total = 0;
  const auto gap = std::chrono::duration<double, std::milli>(o.after_idle_gap_ms);
  while (static_cast<int>(samples.size()) < o.repeats ||
         (total < o.min_seconds * 1e3 && static_cast<int>(samples.size()) < o.max_repeats)) {
    std::this_thread::sleep_for(gap);
    std::unique_lock lock(m);
    const auto handed = Clock::now();
    which = samples.size();
    go = true;
    done = false;
    cv.notify_all();
    cv.wait(lock, [&] { return done; });
    const double ms = std::chrono::duration<double, std::milli>(finished - handed).count();
    samples.push_back(ms);
    total += ms;
  }
  {
    std::lock_guard lock(m);
    quit = true;
  }
  cv.notify_all();
  worker.join();
  return samples;
}

}  // namespace

LatencyPoint summarise_samples(int batch, std::vector<double> samples_ms) {
  std::sort(samples_ms.begin(), samples_ms.end());
  LatencyPoint p;
  p.batch = batch;
  p.samples = static_cast<int>(samples_ms.size());
  p.median_ms = sample_quantile(samples_ms, 0.5);
  p.p10_ms = sample_quantile(samples_ms, 0.1);
  p.p90_ms = sample_quantile(samples_ms, 0.9);
  p.min_ms = samples_ms.front();
  p.max_ms = samples_ms.back();
  return p;
}

ModelLatency calibrate_cpu_model(const ModelSpec& spec, const CpuCalibrationOptions& o,
                                 const std::function<void(const std::string&)>& progress) {
  ModelLatency result;
  result.rows_scale = rows_scale_for(spec, o.max_table_bytes);
  const ModelWeights weights = make_model_weights(spec, result.rows_scale, o.seed);
  const int max_batch = *std::max_element(o.batches.begin(), o.batches.end());
  const int instances = std::max(1, o.instances);
  std::vector<std::unique_ptr<Instance>> pool;
  for (int i = 0; i < instances; ++i) pool.push_back(std::make_unique<Instance>(weights, max_batch));
  Rng rng = make_stream(o.seed, StreamId::keys);

  omp_set_num_threads(1);  // single-core latency: one thread per instance
  // The ladder is walked `passes` times and each batch size's samples are pooled, so slow drifts of
  // the machine (frequency, neighbours on a shared host) spread over all batch sizes instead of
  // biasing the ones measured while they lasted.
  const int passes = std::max(1, o.passes);
  CpuCalibrationOptions per_pass = o;
  per_pass.repeats = (o.repeats + passes - 1) / passes;
  per_pass.min_seconds = o.min_seconds / passes;
  per_pass.max_repeats = std::max(1, o.max_repeats / passes);
  std::vector<std::vector<double>> alone_samples(o.batches.size()), busy_samples(o.batches.size()),
      idle_samples(o.batches.size());
  std::vector<int> levels;
  for (int l : o.levels)
    if (l >= 2 && l < instances && (levels.empty() || l > levels.back())) levels.push_back(l);
  std::vector<std::vector<std::vector<double>>> level_samples(levels.size(), std::vector<std::vector<double>>(o.batches.size()));
  for (int l : levels) result.contention_levels.emplace_back(l, std::vector<LatencyPoint>{});
  for (int pass = 0; pass < passes; ++pass) {
    for (std::size_t bi = 0; bi < o.batches.size(); ++bi) {
      const int batch = o.batches[bi];
      std::vector<ModelInputs> inputs;
      for (int i = 0; i < kInputSets; ++i) inputs.push_back(make_model_inputs(weights, batch, o.keys, rng));
      const auto alone = measure(*pool[0], inputs, per_pass);
      alone_samples[bi].insert(alone_samples[bi].end(), alone.begin(), alone.end());
      if (o.after_idle_gap_ms > 0) {
        const auto idle = measure_after_idle(*pool[0], inputs, per_pass);
        idle_samples[bi].insert(idle_samples[bi].end(), idle.begin(), idle.end());
      }
      // Every instance of a level on its own thread (one per core), all measuring at once.
      const auto at_once = [&](int n, std::vector<double>& into) {
        std::vector<std::vector<double>> per(static_cast<std::size_t>(n));
        std::barrier start(n);
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
          threads.emplace_back([&, i] {
            omp_set_num_threads(1);
            start.arrive_and_wait();
            per[static_cast<std::size_t>(i)] = measure(*pool[static_cast<std::size_t>(i)], inputs, per_pass);
          });
        for (auto& t : threads) t.join();
        for (const auto& v : per) into.insert(into.end(), v.begin(), v.end());
      };
      for (std::size_t li = 0; li < levels.size(); ++li) at_once(levels[li], level_samples[li][bi]);
      if (instances > 1) at_once(instances, busy_samples[bi]);
      if (pass + 1 < passes) continue;
      const LatencyPoint a = summarise_samples(batch, alone_samples[bi]);
      result.single.push_back(a);
      for (std::size_t li = 0; li < levels.size(); ++li)
        result.contention_levels[li].second.push_back(summarise_samples(batch, level_samples[li][bi]));
      if (o.after_idle_gap_ms > 0) {
        result.after_idle.push_back(summarise_samples(batch, idle_samples[bi]));
        result.after_idle_gap_ms = o.after_idle_gap_ms;
      }
      char line[200];
      if (instances > 1) {
        const LatencyPoint busy = summarise_samples(batch, busy_samples[bi]);
        result.contention.push_back(busy);
        result.contention_instances = instances;
        std::snprintf(line, sizeof line, "%s batch %d: %.4g ms alone, %.4g ms with %d instances", spec.name.c_str(),
                      batch, a.median_ms, busy.median_ms, instances);
      } else {
        std::snprintf(line, sizeof line, "%s batch %d: %.4g ms", spec.name.c_str(), batch, a.median_ms);
      }
      if (o.after_idle_gap_ms > 0) {
        char idle[64];
        std::snprintf(idle, sizeof idle, ", %.4g ms after idle", result.after_idle.back().median_ms);
        std::strncat(line, idle, sizeof line - std::strlen(line) - 1);
      }
      if (progress) progress(line);
    }
  }
  return result;
}

}  // namespace recsim
