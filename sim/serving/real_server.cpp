#include "sim/serving/real_server.h"

#include "kernels/cpu/cpu_affinity.h"
#include "kernels/cpu/cpu_model_instance.h"
#include "kernels/model/model_inputs.h"
#include "kernels/model/model_weights.h"
#include "sim/scheduling/static_policy.h"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

namespace recsim {
namespace {

using Clock = std::chrono::steady_clock;

struct Request {
  std::uint32_t query;
  int items;
};

}  // namespace

RealServingResult serve_real(const std::vector<QueryArrival>& queries, const RealServingOptions& o, const WorkFactory& work) {
  if (o.cores < 1 || o.batch_size < 1) throw std::invalid_argument("serve_real: cores and batch_size must be positive");
  RealServingResult result;
  const std::vector<int> cpus = affinity_cpus();
  if (o.pin && !cpus.empty())
    for (int w = 0; w < o.cores; ++w) result.cpus.push_back(cpus[static_cast<std::size_t>(w) % cpus.size()]);

  const std::size_t n = queries.size();
  std::vector<std::atomic<int>> remaining(n);
  const StaticPolicy split(o.batch_size);
  for (std::size_t i = 0; i < n; ++i) remaining[i].store(split.request_count(queries[i].size));
  std::vector<double> done_at(n, 0.0);  // seconds since the start, written by the worker finishing the query
  std::vector<double> issued_at(n, 0.0);  // seconds since the start the generator handed the query over

  std::mutex m;
  std::condition_variable ready;
  std::deque<Request> queue;
  bool issued_all = false;
  std::vector<double> busy(static_cast<std::size_t>(o.cores), 0.0);
  std::vector<std::map<int, ServedRequests>> served_by_worker(static_cast<std::size_t>(o.cores));
  result.served_log.resize(static_cast<std::size_t>(o.cores));
  std::size_t total_requests = 0;
  for (const QueryArrival& q : queries) total_requests += static_cast<std::size_t>(split.request_count(q.size));
  std::barrier set_up(o.cores + 1);
  Clock::time_point start;

  std::vector<std::thread> workers;
  for (int w = 0; w < o.cores; ++w)
    workers.emplace_back([&, w] {
      if (!result.cpus.empty()) pin_current_thread(result.cpus[static_cast<std::size_t>(w)]);
      omp_set_num_threads(1);  // one core per worker, as calibrated
      RequestWork run = work(w);
      std::map<int, ServedRequests>& served = served_by_worker[static_cast<std::size_t>(w)];
      std::vector<ServedRequest>& log = result.served_log[static_cast<std::size_t>(w)];
      log.reserve(total_requests / static_cast<std::size_t>(o.cores) + 16);  // no reallocation while serving, as a rule
      set_up.arrive_and_wait();
      for (;;) {
        Request r;
        double queued = 0.0;
        {
          std::unique_lock lock(m);
          ready.wait(lock, [&] { return !queue.empty() || issued_all; });
          if (queue.empty()) return;
          r = queue.front();
          queue.pop_front();
          queued = issued_at[r.query];  // written by the generator before it queued the request
        }
        const auto t0 = Clock::now();
        run(w, r.items);
        const auto t1 = Clock::now();
        const double seconds = std::chrono::duration<double>(t1 - t0).count();
        log.push_back({r.query, r.items, queued, std::chrono::duration<double>(t0 - start).count(),
                       std::chrono::duration<double>(t1 - start).count()});
        busy[static_cast<std::size_t>(w)] += seconds;
        if (r.query >= o.warmup_queries) {
          ServedRequests& s = served[r.items];
          ++s.requests;
          s.seconds += seconds;
        }
        if (remaining[r.query].fetch_sub(1) == 1) done_at[r.query] = std::chrono::duration<double>(t1 - start).count();
      }
    });

  // The generator (this thread) on a CPU of its own where one is left; its affinity is put back
  // after serving.
  if (o.pin && cpus.size() > static_cast<std::size_t>(o.cores)) result.generator_cpu = cpus[static_cast<std::size_t>(o.cores)];
  std::optional<ScopedPin> generator_pin;
  if (result.generator_cpu >= 0) generator_pin.emplace(result.generator_cpu);
  set_up.arrive_and_wait();  // every worker has its kernels and inputs
  start = Clock::now() + std::chrono::milliseconds(20);
  const double t_first = n ? queries.front().time : 0.0;
  double lag_sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double at = queries[i].time - t_first;
    std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(at)));
    issued_at[i] = std::chrono::duration<double>(Clock::now() - start).count();
    const double lag = issued_at[i] - at;
    lag_sum += std::max(0.0, lag);
    result.max_issue_lag_ms = std::max(result.max_issue_lag_ms, lag * 1e3);
    {
      std::lock_guard lock(m);
      const int size = queries[i].size;
      for (int r = 0; r < split.request_count(size); ++r) queue.push_back({static_cast<std::uint32_t>(i), split.request_items(size, r)});
    }
    ready.notify_all();
  }
  {
    std::lock_guard lock(m);
    issued_all = true;
  }
  ready.notify_all();
  for (auto& t : workers) t.join();
  for (const auto& worker : served_by_worker)
    for (const auto& [items, s] : worker) {
      ServedRequests& total = result.served_by_items[items];
      total.requests += s.requests;
      total.seconds += s.seconds;
    }
  generator_pin.reset();

  double first = 0.0, last = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    const double arrival = issued_at[i];
    last = std::max(last, done_at[i]);
    if (i < o.warmup_queries) continue;
    if (result.measured == 0) first = arrival;
    result.latency.add(done_at[i] - arrival);
    ++result.measured;
  }
  result.wall_seconds = last;
  double measured_last = 0.0;
  for (std::size_t i = o.warmup_queries; i < n; ++i) measured_last = std::max(measured_last, done_at[i]);
  if (measured_last > first) result.throughput_qps = static_cast<double>(result.measured) / (measured_last - first);
  double busy_sum = 0.0;
  for (double b : busy) busy_sum += b;
  if (last > 0.0) result.busy_fraction = busy_sum / (o.cores * last);
  if (n) result.mean_issue_lag_ms = lag_sum / static_cast<double>(n) * 1e3;
  return result;
}

WorkFactory model_work(std::shared_ptr<const ModelWeights> weights, std::uint64_t seed, const std::map<int, std::uint64_t>& requests_by_size,
                       std::size_t input_bytes) {
  struct Pool {
    std::vector<ModelInputs> sets;
    std::atomic<std::size_t> next{0};  // shared by the workers: they take the sets in turn
  };
  struct Shared {
    std::shared_ptr<const ModelWeights> weights;
    std::map<int, Pool> pools;  // per request size
    int max_batch = 1;
  };
  auto shared = std::make_shared<Shared>();
  shared->weights = std::move(weights);
  Rng rng = make_stream(seed, StreamId::keys);
  const KeyPopularity keys{KeyPopularity::Kind::power_law, 1.05};  // the calibration's keys
  std::uint64_t total = 0;
  for (const auto& [size, count] : requests_by_size) total += count;
  for (const auto& [size, count] : requests_by_size) {
    if (count == 0) continue;
    Pool& pool = shared->pools[size];
    pool.sets.push_back(make_model_inputs(*shared->weights, size, keys, rng));
    const std::size_t bytes = pool.sets.front().bytes();
    // This size's share of the budget, by its share of the requests; at most one set per request.
    const double share = static_cast<double>(input_bytes) * static_cast<double>(count) / static_cast<double>(total);
    const auto fit = static_cast<std::uint64_t>(share / static_cast<double>(std::max<std::size_t>(1, bytes)));
    const std::uint64_t sets = std::max<std::uint64_t>(1, std::min(count, fit));
    while (pool.sets.size() < sets) pool.sets.push_back(make_model_inputs(*shared->weights, size, keys, rng));
    shared->max_batch = std::max(shared->max_batch, size);
  }
  return [shared](int) -> RequestWork {
    auto inst = std::make_shared<CpuModelInstance>(*shared->weights, shared->max_batch);
    // Primitives made before serving; with the last set, the first served last, so that the first
    // requests do not find their keys in cache.
    for (const auto& [items, pool] : shared->pools) inst->run(pool.sets.back());
    return [shared, inst](int, int items) {
      const auto it = shared->pools.find(items);
      if (it == shared->pools.end()) throw std::logic_error("model_work: no inputs made for this request size");
      Pool& pool = it->second;
      inst->run(pool.sets[pool.next.fetch_add(1, std::memory_order_relaxed) % pool.sets.size()]);
    };
  };
}

}  // namespace recsim
