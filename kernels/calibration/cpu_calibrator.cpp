#include "kernels/calibration/cpu_calibrator.h"

#include "kernels/calibration/drawn_inputs.h"
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
using Instance = CpuModelInstance;
// The next inputs for a timed run.
using InputSource = std::function<const ModelInputs&()>;

TimedRuns timed_runs(const CpuCalibrationOptions& o) { return {o.warmup, o.repeats, o.min_seconds, o.max_repeats}; }

// Timed runs of one instance at one batch size: warm-up, then at least `repeats` runs and
// `min_seconds` of work.
std::vector<double> measure(Instance& inst, const InputSource& next, const CpuCalibrationOptions& o) {
  for (int i = 0; i < o.warmup; ++i) inst.run(next());
  return repeat_timed([&] { return inst.run_ms(next()); }, timed_runs(o));
}

// Warm-up and timed runs of one instance on inputs drawn ahead (drawn_inputs.h).
std::vector<double> measure_drawn_ahead(Instance& inst, FreshInputs& fresh, std::size_t batch_bytes, std::size_t max_bytes,
                                        const CpuCalibrationOptions& o) {
  const ModelRun run = [&inst](const ModelInputs& in, bool) { return inst.run_ms(in); };
  return time_on_drawn_inputs(run, fresh, batch_bytes, max_bytes, timed_runs(o));
}

// Timed runs handed over to the instance's own thread after it waited idle for `gap_ms`: from the
// hand-over to the run's end, as a request reaching an idle server core sees it.
std::vector<double> measure_after_idle(Instance& inst, const InputSource& next, const CpuCalibrationOptions& o) {
  std::mutex m;
  std::condition_variable cv;
  bool go = false, done = false, quit = false;
  const ModelInputs* handed_inputs = nullptr;
  Clock::time_point finished;
  std::thread worker([&] {
    omp_set_num_threads(1);
    std::unique_lock lock(m);
    for (;;) {
      cv.wait(lock, [&] { return go || quit; });
      if (quit) return;
      go = false;
      const ModelInputs& in = *handed_inputs;
      lock.unlock();
      inst.run(in);
      const auto t = Clock::now();
      lock.lock();
      finished = t;
      done = true;
      cv.notify_all();
    }
  });
  const auto gap = std::chrono::duration<double, std::milli>(o.after_idle_gap_ms);
  std::vector<double> samples = repeat_timed(
      [&] {
        const ModelInputs& in = next();  // drawn ahead of the runs: the pause is the gap alone
        std::this_thread::sleep_for(gap);
        std::unique_lock lock(m);
        const auto handed = Clock::now();
        handed_inputs = &in;
        go = true;
        done = false;
        cv.notify_all();
        cv.wait(lock, [&] { return done; });
        return std::chrono::duration<double, std::milli>(finished - handed).count();
      },
      timed_runs(o));
  {
    std::lock_guard lock(m);
    quit = true;
  }
  cv.notify_all();
  worker.join();
  return samples;
}

}  // namespace

struct CpuPointTimer::State {
  std::shared_ptr<const ModelWeights> weights;
  int batch;
  Rng rng;
  Instance instance;
  KeyPopularity keys{KeyPopularity::Kind::power_law, 1.05};  // the calibration's default keys
  State(std::shared_ptr<const ModelWeights> w, int b, std::uint64_t seed)
      : weights(std::move(w)), batch(b), rng(make_stream(seed, StreamId::keys)), instance(*weights, b) {}
};

CpuPointTimer::CpuPointTimer(std::shared_ptr<const ModelWeights> weights, int batch, std::uint64_t seed)
    : state_(std::make_unique<State>(std::move(weights), batch, seed)) {}
CpuPointTimer::~CpuPointTimer() = default;

LatencyPoint CpuPointTimer::measure(int repeats, double min_seconds, int max_repeats) {
  CpuCalibrationOptions o;
  o.repeats = repeats;
  o.min_seconds = min_seconds;
  o.max_repeats = max_repeats;
  omp_set_num_threads(1);
  FreshInputs fresh(*state_->weights, state_->batch, state_->keys, state_->rng);
  const std::size_t per_batch = std::max<std::size_t>(1, fresh.next().bytes());
  return summarise_samples(state_->batch, measure_drawn_ahead(state_->instance, fresh, per_batch, kInputBytes, o));
}

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
      // Keys from a stream of the point's own (batch size, pass): how many batches a point draws
      // depends on its timing, and must not change the keys of the points after it.
      Rng rng = make_stream(o.seed, StreamId::keys, static_cast<std::uint32_t>(bi), static_cast<std::uint64_t>(pass));
      FreshInputs fresh(weights, batch, o.keys, rng);
      const std::size_t per_batch = std::max<std::size_t>(1, fresh.next().bytes());
      const auto alone = measure_drawn_ahead(*pool[0], fresh, per_batch, kInputBytes, per_pass);
      alone_samples[bi].insert(alone_samples[bi].end(), alone.begin(), alone.end());
      if (o.after_idle_gap_ms > 0) {
        // As many batches as the alone runs took (an after-idle run takes at least as long), drawn
        // before the first pause, cycled beyond.
        const std::size_t count =
            std::max<std::size_t>(1, std::min(alone.size() + 1, kInputBytes / per_batch));
        std::vector<ModelInputs> drawn;
        for (std::size_t d = 0; d < count; ++d) drawn.push_back(fresh.next());
        std::size_t k = 0;
        const InputSource cycle = [&]() -> const ModelInputs& { return drawn[k++ % drawn.size()]; };
        const auto idle = measure_after_idle(*pool[0], cycle, per_pass);
        idle_samples[bi].insert(idle_samples[bi].end(), idle.begin(), idle.end());
      }
      // Every instance of a level on its own thread (one per core), all measuring at once, each
      // cycling its own inputs drawn before they start (a thread drawing keys between runs would
      // also leave the other cores less contended meanwhile): per instance as many batches as the
      // alone measurement timed, within kInputBytes for all of them, and at least one (which alone
      // may exceed the bound).
      const auto at_once = [&](int n, std::vector<double>& into) {
        const std::size_t wanted = alone.size() + static_cast<std::size_t>(per_pass.warmup);
        const std::size_t fit = kInputBytes / (static_cast<std::size_t>(n) * per_batch);
        const std::size_t count = std::max<std::size_t>(1, std::min(wanted, fit));
        std::vector<std::vector<ModelInputs>> inputs(static_cast<std::size_t>(n));
        for (auto& own : inputs)
          for (std::size_t k = 0; k < count; ++k) own.push_back(fresh.next());
        std::vector<std::vector<double>> per(static_cast<std::size_t>(n));
        std::barrier start(n);
        std::vector<std::thread> threads;
        for (int i = 0; i < n; ++i)
          threads.emplace_back([&, i] {
            omp_set_num_threads(1);
            const auto& own = inputs[static_cast<std::size_t>(i)];
            std::size_t k = 0;
            const InputSource cycle = [&]() -> const ModelInputs& { return own[k++ % own.size()]; };
            start.arrive_and_wait();
            per[static_cast<std::size_t>(i)] = measure(*pool[static_cast<std::size_t>(i)], cycle, per_pass);
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
