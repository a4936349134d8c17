#include "sim/serving/order_replay.h"

#include "sim/metrics/latency_histogram.h"
#include "workloads/random_stream.h"

#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <numeric>
#include <tuple>

namespace recsim {

QueueReplay::QueueReplay(const std::vector<CheckedRequest>& requests, int cores, std::uint64_t warmup_queries)
    : requests_(requests), order_(requests.size()), cores_(std::max(cores, 1)), warmup_queries_(warmup_queries) {
  // The queue's order: as queued (a query's requests together, in their split order).
  std::iota(order_.begin(), order_.end(), std::size_t{0});
  std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(requests[a].queued, requests[a].query) < std::tie(requests[b].queued, requests[b].query);
  });
  for (const auto& r : requests) queries_ = std::max(queries_, r.query + 1);
}

double QueueReplay::percentile_ms(const std::vector<double>& seconds, double percentile) const {
  std::vector<double> issued(queries_, -1.0), done(queries_, -1.0);
  std::vector<double> free_at(static_cast<std::size_t>(cores_), 0.0);
  for (std::size_t i : order_) {
    const CheckedRequest& r = requests_[i];
    auto core = std::min_element(free_at.begin(), free_at.end());
    *core = std::max(*core, r.queued) + seconds[i];
    issued[r.query] = r.queued;
    done[r.query] = std::max(done[r.query], *core);
  }
  LatencyHistogram latency;
  for (auto q = static_cast<std::uint32_t>(std::min<std::uint64_t>(warmup_queries_, queries_)); q < queries_; ++q)
    if (done[q] >= 0.0) latency.add(done[q] - issued[q]);
  return latency.percentile(percentile) * 1e3;
}

OrderReplay replay_in_order_and_shuffled(const std::vector<CheckedRequest>& requests, int cores, std::uint64_t warmup_queries, int draws,
                                         std::uint64_t seed) {
  OrderReplay out;
  const QueueReplay queue(requests, cores, warmup_queries);
  std::vector<double> seconds(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) seconds[i] = requests[i].taken;
  out.in_order_p95_ms = queue.percentile_ms(seconds, 95);
  // The measured requests' deviations from the model, by group (found idle or queued, warm or cold
  // size: the model's error differs by group, and the shuffle must not move it between them); the
  // warm-up's requests keep their own times.
  std::vector<std::size_t> group[4];
  for (std::size_t i = 0; i < requests.size(); ++i)
    if (requests[i].query >= warmup_queries && requests[i].model > 0)
      group[requests[i].group()].push_back(i);
  std::vector<double> deviation[4];
  for (int g = 0; g < 4; ++g)
    for (std::size_t i : group[g]) deviation[g].push_back(requests[i].taken / requests[i].model);
  out.draws = draws;
  for (int d = 0; d < draws; ++d) {
    Rng rng = make_stream(seed, StreamId::replay, 0, static_cast<std::uint64_t>(d));
    for (int g = 0; g < 4; ++g) {
      // Fisher-Yates with Boost's distribution: the same permutation on every platform.
      std::vector<double>& v = deviation[g];
      for (std::size_t k = v.size(); k > 1; --k)
        std::swap(v[k - 1], v[boost::random::uniform_int_distribution<std::size_t>(0, k - 1)(rng)]);
      for (std::size_t k = 0; k < group[g].size(); ++k) seconds[group[g][k]] = requests[group[g][k]].model * v[k];
    }
    const double p95 = queue.percentile_ms(seconds, 95);
    out.shuffled_low_ms = d == 0 ? p95 : std::min(out.shuffled_low_ms, p95);
    out.shuffled_high_ms = d == 0 ? p95 : std::max(out.shuffled_high_ms, p95);
  }
  return out;
}

}  // namespace recsim
