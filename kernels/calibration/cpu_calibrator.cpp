#include "kernels/calibration/cpu_calibrator.h"

#include "kernels/calibration/drawn_inputs.h"
#include "kernels/calibration/sample_quantile.h"

#include "kernels/cpu/cpu_affinity.h"
#include "kernels/cpu/cpu_model_instance.h"
#include "kernels/cpu/onednn_ops.h"
#include "kernels/model/model_forward.h"

#include <boost/random/uniform_int_distribution.hpp>
#include <omp.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <system_error>
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

// Pairs of runs handed over to the instance's own thread, pinned to `worker_cpu` (-1: not pinned),
// after it waited idle for `gap_ms`: the first timed from the hand-over to its end, as a request
// reaching an idle server core sees it, the second right after it on the same thread. The handing
// (calling) thread moves to `handing_cpu` meanwhile where there is one, as real serving's load
// generator has a CPU of its own.
struct IdleSamples {
  std::vector<double> first, next;
};
IdleSamples measure_after_idle(Instance& inst, const InputSource& inputs, double gap_ms, int worker_cpu, int handing_cpu,
                               const TimedRuns& runs) {
  std::mutex m;
  std::condition_variable cv;
  bool go = false, done = false, quit = false;
  const ModelInputs* handed[2] = {nullptr, nullptr};
  Clock::time_point finished;
  double next_ms = 0.0;
  std::thread worker([&] {
    if (worker_cpu >= 0) pin_current_thread(worker_cpu);
    omp_set_num_threads(1);
    std::unique_lock lock(m);
    for (;;) {
      cv.wait(lock, [&] { return go || quit; });
      if (quit) return;
      go = false;
      const ModelInputs& first = *handed[0];
      const ModelInputs& second = *handed[1];
      lock.unlock();
      inst.run(first);
      const auto t = Clock::now();
      const double second_ms = inst.run_ms(second);
      lock.lock();
      finished = t;
      next_ms = second_ms;
      done = true;
      cv.notify_all();
    }
  });
  const ScopedPin handing(handing_cpu);
  IdleSamples samples;
  const auto gap = std::chrono::duration<double, std::milli>(gap_ms);
  samples.first = repeat_timed(
      [&] {
        const ModelInputs& first = inputs();  // drawn ahead of the runs: the pause is the gap alone
        const ModelInputs& second = inputs();
        std::this_thread::sleep_for(gap);
        std::unique_lock lock(m);
        const auto at = Clock::now();
        handed[0] = &first;
        handed[1] = &second;
        go = true;
        done = false;
        cv.notify_all();
        cv.wait(lock, [&] { return done; });
        samples.next.push_back(next_ms);
        return std::chrono::duration<double, std::milli>(finished - at).count();
      },
      runs);
  {
    std::lock_guard lock(m);
    quit = true;
  }
  cv.notify_all();
  worker.join();
  return samples;
}

// Each after-idle gap of a point sleeps at most this long in each pass (beyond the minimum runs),
// so that long gaps do not multiply the calibration's time.
constexpr double kIdleSleepPerPassMs = 100.0;
// Rounds of the cold-size mixture per pass (at least the repeats per pass), each running every size
// of the mixture once; the mixture holds every size from 1 to kColdMixtureSizes, and the ladder's
// sizes up to it are timed in it.
constexpr int kColdRoundsPerPass = 10;
constexpr int kColdMixtureSizes = 64;

// The ladder's sizes up to kColdMixtureSizes run cold: every size from 1 to kColdMixtureSizes
// (within the ladder's largest) in a shuffled order each round, no size twice in a row, each on
// fresh keys drawn before the rounds, so that between two runs of a size dozens of others ran, as
// between two requests of one remainder size on a serving core with a batch size of 64. Each size is
// timed right after a run of the mixture's largest size (the lead, untimed), as a query's remainder
// runs after its full requests: timed after the mixture's other sizes instead, NCF's remainders
// served 14-16% slower than they measured (docs/validation.md). The lead itself is timed after the
// size before it. Larger sizes stay out: with requests up to 1,024 in the mixture every size ran
// 1.4-1.9x slower (DLRM-RMC1), the large runs evicting the caches, which only a scenario with such
// batch sizes sees. Returns the times of the ladder's sizes in the mixture (none for larger ones;
// the first round untimed: it makes the primitives).
std::vector<std::vector<double>> measure_cold_sizes(Instance& inst, const ModelWeights& weights, const std::vector<int>& ladder,
                                                    const KeyPopularity& keys, std::uint64_t seed, int pass, int rounds) {
  std::vector<int> sizes;
  const int largest = *std::max_element(ladder.begin(), ladder.end());
  for (int b = 1; b <= std::min(largest, kColdMixtureSizes); ++b) sizes.push_back(b);
  const std::size_t n = sizes.size();
  // Streams of their own (after the ladder points' indices), so the ladder's keys stay the same.
  std::vector<Rng> rngs;
  rngs.reserve(n);
  std::vector<FreshInputs> fresh;
  fresh.reserve(n);
  std::vector<std::vector<ModelInputs>> drawn(n);
  std::size_t round_bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    rngs.push_back(make_stream(seed, StreamId::keys, static_cast<std::uint32_t>(ladder.size() + i), static_cast<std::uint64_t>(pass)));
    fresh.emplace_back(weights, sizes[i], keys, rngs.back());
    drawn[i].push_back(fresh.back().next());
    round_bytes += std::max<std::size_t>(1, drawn[i].back().bytes());
  }
  const std::size_t kept =
      std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(rounds), kInputBytes / round_bytes));
  for (std::size_t i = 0; i < n; ++i)
    while (drawn[i].size() < kept) drawn[i].push_back(fresh[i].next());
  Rng order_rng = make_stream(seed, StreamId::keys, static_cast<std::uint32_t>(ladder.size() + n), static_cast<std::uint64_t>(pass));
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::vector<std::vector<double>> out(ladder.size());
  std::vector<std::size_t> ladder_index(n, ladder.size());  // each mixture size's ladder point (none: ladder.size())
  for (std::size_t i = 0; i < n; ++i) {
    const auto at = std::find(ladder.begin(), ladder.end(), sizes[i]);
    ladder_index[i] = static_cast<std::size_t>(at - ladder.begin());
  }
  const std::size_t lead = n - 1;  // the mixture's largest size
  std::size_t last = n;
  for (int round = 0; round <= rounds; ++round) {
    for (std::size_t i = n - 1; i > 0; --i)  // Fisher-Yates, with the Boost distribution
      std::swap(order[i], order[boost::random::uniform_int_distribution<std::size_t>(0, i)(order_rng)]);
    if (order.front() == last) std::swap(order.front(), order.back());
    for (std::size_t i : order) {
      if (i != lead) inst.run(drawn[lead][static_cast<std::size_t>(round + 1) % kept]);
      const double ms = inst.run_ms(drawn[i][static_cast<std::size_t>(round) % kept]);
      if (round > 0 && ladder_index[i] < ladder.size()) out[ladder_index[i]].push_back(ms);
    }
    last = order.back();
  }
  return out;
}

// "1.234 ms": four significant digits.
std::string format_ms(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g ms", ms);
  return buf;
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

std::vector<int> default_intra_op_threads(int cpus) {
  std::vector<int> out;
  for (int t = 2; t < cpus; t *= 2) out.push_back(t);
  if (cpus >= 2) out.push_back(cpus);
  return out;
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

  // Each instance's thread on a CPU of its own, as real serving pins its workers: this thread (the
  // first instance's) on the first CPU this process may use, the k-th instance of a contention run
  // on the k-th.
  const std::vector<int> cpus = affinity_cpus();
  const auto cpu_of = [&](int instance) { return cpus.empty() ? -1 : cpus[static_cast<std::size_t>(instance) % cpus.size()]; };
  const ScopedPin home(cpu_of(0));
  omp_set_num_threads(1);  // single-core latency: one thread per instance
  // The ladder is walked `passes` times and each batch size's samples are pooled, so slow drifts of
  // the machine (frequency, neighbours on a shared host) spread over all batch sizes instead of
  // biasing the ones measured while they lasted.
  const int passes = std::max(1, o.passes);
  CpuCalibrationOptions per_pass = o;
  per_pass.repeats = (o.repeats + passes - 1) / passes;
  per_pass.min_seconds = o.min_seconds / passes;
  per_pass.max_repeats = std::max(1, o.max_repeats / passes);
  const std::size_t points = o.batches.size();
  using Samples = std::vector<std::vector<double>>;  // by batch size
  Samples alone_samples(points), busy_samples(points), cold_samples(points), spread_samples(points);
  const std::vector<double>& gaps = o.after_idle_gaps_ms;
  std::vector<Samples> idle_first(gaps.size(), Samples(points)), idle_next(gaps.size(), Samples(points));
  for (double g : gaps) result.after_idle.push_back({g, {}, {}});
  const bool cold_sizes = o.cold_sizes && *std::min_element(o.batches.begin(), o.batches.end()) <= kColdMixtureSizes;
  std::vector<int> levels;
  for (int l : o.levels)
    if (l >= 2 && l < instances && (levels.empty() || l > levels.back())) levels.push_back(l);
  std::vector<Samples> level_samples(levels.size(), Samples(points));
  std::vector<int> thread_counts;
  for (int t : o.intra_op_threads) {
    if (t < 2 || (!thread_counts.empty() && t <= thread_counts.back())) continue;
    if (static_cast<std::size_t>(t) > cpus.size())
      throw std::runtime_error("cannot time " + std::to_string(t) + " intra-op threads on the " + std::to_string(cpus.size()) +
                               " CPUs this process may use");
    thread_counts.push_back(t);
  }
  std::vector<Samples> thread_samples(thread_counts.size(), Samples(points));
  for (int t : thread_counts) result.intra_op_threads.emplace_back(t, std::vector<LatencyPoint>{});
  for (int l : levels) result.contention_levels.emplace_back(l, std::vector<LatencyPoint>{});
  const auto append = [](std::vector<double>& to, const std::vector<double>& from) { to.insert(to.end(), from.begin(), from.end()); };
  for (int pass = 0; pass < passes; ++pass) {
    for (std::size_t bi = 0; bi < points; ++bi) {
      const int batch = o.batches[bi];
      // Keys from a stream of the point's own (batch size, pass): how many batches a point draws
      // depends on its timing, and must not change the keys of the points after it.
      Rng rng = make_stream(o.seed, StreamId::keys, static_cast<std::uint32_t>(bi), static_cast<std::uint64_t>(pass));
      FreshInputs fresh(weights, batch, o.keys, rng);
      const std::size_t per_batch = std::max<std::size_t>(1, fresh.next().bytes());
      const auto alone = measure_drawn_ahead(*pool[0], fresh, per_batch, kInputBytes, per_pass);
      append(alone_samples[bi], alone);
      // Each run over its pass's median: the spread of one run while the machine holds still (the
      // pass's runs take seconds; the passes minutes apart, which the pooled p10/p90 also hold).
      std::vector<double> sorted = alone;
      std::sort(sorted.begin(), sorted.end());
      const double pass_median = sample_quantile(sorted, 0.5);
      if (pass_median > 0)
        for (double ms : alone) spread_samples[bi].push_back(ms / pass_median);
      if (!gaps.empty()) {
        // Two batches per run for as many runs as the alone runs took (an after-idle run takes at
        // least as long), drawn before the first pause, cycled beyond.
        const std::size_t count = std::max<std::size_t>(2, std::min(2 * alone.size() + 2, kInputBytes / per_batch));
        std::vector<ModelInputs> drawn;
        for (std::size_t d = 0; d < count; ++d) drawn.push_back(fresh.next());
        std::size_t k = 0;
        const InputSource cycle = [&]() -> const ModelInputs& { return drawn[k++ % drawn.size()]; };
        for (std::size_t gi = 0; gi < gaps.size(); ++gi) {
          TimedRuns runs = timed_runs(per_pass);
          runs.max_repeats = std::max(runs.repeats, std::min(runs.max_repeats, static_cast<int>(kIdleSleepPerPassMs / gaps[gi])));
          const IdleSamples idle = measure_after_idle(*pool[0], cycle, gaps[gi], cpu_of(0), cpus.size() > 1 ? cpu_of(1) : -1, runs);
          append(idle_first[gi][bi], idle.first);
          append(idle_next[gi][bi], idle.next);
        }
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
        std::atomic<bool> abandoned{false};
        std::vector<std::thread> threads;
        try {
          for (int i = 0; i < n; ++i)
            threads.emplace_back([&, i] {
              if (cpu_of(i) >= 0) pin_current_thread(cpu_of(i));
              omp_set_num_threads(1);
              const auto& own = inputs[static_cast<std::size_t>(i)];
              std::size_t k = 0;
              const InputSource cycle = [&]() -> const ModelInputs& { return own[k++ % own.size()]; };
              start.arrive_and_wait();
              if (abandoned) return;
              per[static_cast<std::size_t>(i)] = measure(*pool[static_cast<std::size_t>(i)], cycle, per_pass);
            });
        } catch (const std::system_error& e) {
          // The machine would not start them all: release the ones started (they wait for the
          // others at the barrier) and say so, instead of std::terminate on their destruction.
          abandoned = true;
          for (std::size_t missing = threads.size(); missing < static_cast<std::size_t>(n); ++missing) start.arrive_and_drop();
          for (auto& t : threads) t.join();
          throw std::runtime_error("could not start " + std::to_string(n) + " measuring threads at once (" + e.what() +
                                   "): give --threads at most what this machine can run");
        }
        for (auto& t : threads) t.join();
        for (const auto& v : per) append(into, v);
      };
      for (std::size_t li = 0; li < levels.size(); ++li) at_once(levels[li], level_samples[li][bi]);
      if (instances > 1) at_once(instances, busy_samples[bi]);
      // One instance whose requests each run on `t` threads, alone: on a thread of its own whose
      // OpenMP team of `t` is pinned one per CPU to the first `t`, the instance (its oneDNN
      // primitives sized to the team) made there, on fresh keys as the alone runs.
      for (std::size_t ti = 0; ti < thread_counts.size(); ++ti) {
        const int t = thread_counts[ti];
        std::exception_ptr failed;
        std::thread team_master([&] {
          try {
            omp_set_num_threads(t);
            std::atomic<int> pinned{0}, members{0};
#pragma omp parallel num_threads(t)
            {
              if (pin_current_thread(cpu_of(omp_get_thread_num()))) ++pinned;
              if (omp_get_thread_num() == 0) members = omp_get_num_threads();
            }
            if (members != t || pinned != t)
              throw std::runtime_error("could not run " + std::to_string(t) + " intra-op threads pinned one per CPU (OpenMP gave " +
                                       std::to_string(members.load()) + ", " + std::to_string(pinned.load()) +
                                       " pinned; OMP_DYNAMIC or OMP_THREAD_LIMIT?): give --intra-op-threads none or fewer");
            Instance threaded(weights, max_batch);
            append(thread_samples[ti][bi], measure_drawn_ahead(threaded, fresh, per_batch, kInputBytes, per_pass));
          } catch (...) {
            failed = std::current_exception();
          }
        });
        team_master.join();
        if (failed) std::rethrow_exception(failed);
      }
      if (pass + 1 < passes) continue;
      const LatencyPoint a = summarise_samples(batch, alone_samples[bi]);
      result.single.push_back(a);
      if (!spread_samples[bi].empty()) result.run_spread.push_back(summarise_samples(batch, spread_samples[bi]));
      for (std::size_t li = 0; li < levels.size(); ++li)
        result.contention_levels[li].second.push_back(summarise_samples(batch, level_samples[li][bi]));
      for (std::size_t gi = 0; gi < gaps.size(); ++gi) {
        result.after_idle[gi].first.push_back(summarise_samples(batch, idle_first[gi][bi]));
        result.after_idle[gi].next.push_back(summarise_samples(batch, idle_next[gi][bi]));
      }
      std::string line = spec.name + " batch " + std::to_string(batch) + ": " + format_ms(a.median_ms) + " alone";
      if (instances > 1) {
        const LatencyPoint busy = summarise_samples(batch, busy_samples[bi]);
        result.contention.push_back(busy);
        result.contention_instances = instances;
        line += ", " + format_ms(busy.median_ms) + " with " + std::to_string(instances) + " instances";
      }
      for (std::size_t ti = 0; ti < thread_counts.size(); ++ti) {
        result.intra_op_threads[ti].second.push_back(summarise_samples(batch, thread_samples[ti][bi]));
        line += ", " + format_ms(result.intra_op_threads[ti].second.back().median_ms) + " with " + std::to_string(thread_counts[ti]) + " threads";
      }
      for (const auto& gap : result.after_idle)
        line += ", " + format_ms(gap.first.back().median_ms) + " after " + format_ms(gap.gap_ms) + " idle";
      if (progress) progress(line);
    }
  }
  if (cold_sizes) {
    // After the ladder's passes, not among them: the mixture's many inputs and sizes left a point
    // measured after it slower (DLRM-RMC1 at batch 1 alone: 0.11 ms right after a mixture, 0.043 ms
    // without one, the same minute), and the alone times must be those of a core running one size.
    for (int pass = 0; pass < passes; ++pass) {
      const auto cold = measure_cold_sizes(*pool[0], weights, o.batches, o.keys, o.seed, pass, std::max(per_pass.repeats, kColdRoundsPerPass));
      for (std::size_t bi = 0; bi < points; ++bi) append(cold_samples[bi], cold[bi]);
    }
    std::string line = spec.name + " cold sizes:";
    for (std::size_t bi = 0; bi < points; ++bi) {
      if (cold_samples[bi].empty()) continue;  // above the mixture's sizes
      result.cold_size.push_back(summarise_samples(o.batches[bi], cold_samples[bi]));
      line += (result.cold_size.size() > 1 ? ", " : " ") + std::to_string(o.batches[bi]) + ": " + format_ms(result.cold_size.back().median_ms);
    }
    if (progress) progress(line);
  }
  return result;
}

}  // namespace recsim
