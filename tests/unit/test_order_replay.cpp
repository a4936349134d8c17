// The real run's queue replayed from its own requests' times (sim/serving/order_replay.h): in
// their order it gives back the real latencies; shuffling the requests' deviations from the model
// removes what a burst of slow requests adds to the tail, and nothing when they do not deviate.
#include "sim/metrics/latency_histogram.h"
#include "sim/serving/order_replay.h"
#include "sim/service/service_time_model.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

using namespace recsim;

namespace {

// One worker, queries queued every `gap` seconds, each split into `per_query` 1-item requests that
// wait in its FIFO queue, the i-th request taking taken[i]: the queue's log, and the latencies it gives.
RealServingResult one_core_run(const std::vector<double>& taken, std::size_t per_query, double gap, LatencyHistogram& latency) {
  RealServingResult real;
  real.served_log.resize(1);
  double free_at = 0.0;
  for (std::size_t i = 0; i < taken.size(); ++i) {
    const auto query = static_cast<std::uint32_t>(i / per_query);
    const double queued = gap * query, start = std::max(queued, free_at), end = start + taken[i];
    real.served_log[0].push_back({query, 1, queued, start, end});
    if (i % per_query == per_query - 1) latency.add(end - queued);
    free_at = end;
  }
  return real;
}

}  // namespace

TEST_CASE("the real requests' times replayed in their order and shuffled", "[serving][order_replay]") {
  // The model: 0.8 ms per request (1 item), no other slowdown.
  const auto service = make_profiled_service(LatencyCurve({{1, 0.8e-3}, {2, 1.6e-3}}), std::nullopt);
  // 100 queries of four requests each, 4 ms apart: 3.2 ms of work each.
  std::vector<double> taken(400, 0.8e-3);
  SECTION("requests as the model says: every replay is the real run") {
    LatencyHistogram real_latency;
    const auto requests = checked_requests(one_core_run(taken, 4, 4e-3, real_latency), *service, 1);
    const OrderReplay r = replay_in_order_and_shuffled(requests, 1, 0, 10, 1);
    CHECK(r.in_order_p95_ms == Approx(real_latency.percentile(95) * 1e3));
    CHECK(r.in_order_p95_ms == Approx(3.2).epsilon(2e-3));
    CHECK(r.draws == 10);
    CHECK(r.shuffled_low_ms == Approx(r.in_order_p95_ms));
    CHECK(r.shuffled_high_ms == Approx(r.in_order_p95_ms));
  }
  SECTION("a burst of slow requests: in order it queues, shuffled it mostly does not") {
    // Queries 30-39 take 1.5x (4.8 ms, 0.8 ms more than the gap): the backlog grows by 0.8 ms a
    // query through the burst, to 8 ms, then drains. Spread over the run (within the found-idle
    // and the queued requests), a slow request mostly finds no backlog to add to.
    std::fill(taken.begin() + 120, taken.begin() + 160, 1.2e-3);
    LatencyHistogram real_latency;
    const auto requests = checked_requests(one_core_run(taken, 4, 4e-3, real_latency), *service, 1);
    const OrderReplay r = replay_in_order_and_shuffled(requests, 1, 0, 20, 1);
    // In order, the real latencies exactly: the burst's 4.8 + 0.8 j ms (j = 0..9) and the drain's
    // 11.2 - 0.8 m ms; the 6th largest of 100 (p95) is 9.6 ms.
    CHECK(r.in_order_p95_ms == Approx(real_latency.percentile(95) * 1e3));
    CHECK(r.in_order_p95_ms == Approx(9.6).epsilon(2e-3));
    CHECK(r.shuffled_high_ms < 6.0);
    CHECK(r.shuffled_low_ms > 3.2);  // the slow requests still there
    // The same seed, the same permutations; the measured queries only when a warm-up is left out.
    const OrderReplay again = replay_in_order_and_shuffled(requests, 1, 0, 20, 1);
    CHECK(again.shuffled_low_ms == r.shuffled_low_ms);
    CHECK(again.shuffled_high_ms == r.shuffled_high_ms);
    CHECK(QueueReplay(requests, 1, 50).percentile_ms(std::vector<double>(400, 0.8e-3), 95) == Approx(3.2).epsilon(2e-3));
  }
  SECTION("several cores: the first free core takes the next request") {
    // Two cores, four requests of 3 ms queued at 0, 1, 2, 3 ms: ends 3, 4, 6, 7 ms; latencies 3,
    // 3, 4, 4 ms.
    std::vector<CheckedRequest> requests;
    for (std::uint32_t q = 0; q < 4; ++q) requests.push_back({q, 1, q * 1e-3, 3e-3, 3e-3, false, false});
    const std::vector<double> seconds(4, 3e-3);
    CHECK(QueueReplay(requests, 2, 0).percentile_ms(seconds, 50) == Approx(3.0).epsilon(2e-3));
    CHECK(QueueReplay(requests, 2, 0).percentile_ms(seconds, 100) == Approx(4.0).epsilon(2e-3));
    CHECK(QueueReplay(requests, 1, 0).percentile_ms(seconds, 100) == Approx(12.0 - 3.0).epsilon(2e-3));
  }
}
