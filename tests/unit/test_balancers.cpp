// The balancers between servers, told apart against queueing results: N parallel M/M/1 queues fed
// one Poisson stream. Random routing makes each an M/M/1 queue at rate λ/N exactly; power of two
// choices comes close to Mitzenmacher's supermarket-model limit; joining the shortest queue does
// better still; and the O(log N) load index picks exactly what a scan would.
#include "sim/balancing/balancer.h"
#include "sim/balancing/server_load_index.h"
#include "sim/engine/isolated_run.h"
#include "support/scenarios.h"

#include <catch2/catch.hpp>

#include <boost/random/uniform_int_distribution.hpp>

#include <cmath>
#include <limits>

using namespace recsim;
using namespace recsim::test;

namespace {

// N one-core servers, exponential 1 ms service, Poisson arrivals at load rho per server.
RunResults parallel_queues(int n, double rho, const std::string& policy, std::uint64_t queries = 300000) {
  auto doc = mmc_document(1, rho * 1000.0 * n, 1.0, queries, queries / 10);
  doc["platform"]["servers"] = {{{"name", "s"}, {"count", n}, {"cpu_cores", 1}}};
  doc["scheduler"]["server_selection"] = policy;
  return simulate_isolated(scenario_from(doc));
}

// The supermarket model's mean time in system for d = 2 choices as N grows, in service times:
// sum over i >= 1 of rho^(2^i - 1), divided by rho (Mitzenmacher 2001).
double supermarket_mean(double rho) {
  double queue = 0.0;
  for (int i = 1; i < 30; ++i) queue += std::pow(rho, std::pow(2.0, i) - 1);
  return queue / rho;
}

}  // namespace

TEST_CASE("the registry names every balancer, and the parser takes its names", "[balancers]") {
  CHECK(balancer_names() == std::vector<std::string>{"least_loaded", "round_robin", "random", "power_of_two", "weighted_round_robin"});
  CHECK_THROWS_AS(balancer_policy("nearest"), std::out_of_range);
  auto doc = mmc_document(1, 100.0, 1.0, 100, 0);
  doc["scheduler"]["server_selection"] = "nearest";
  CHECK(scenario_error(doc) ==
        "scheduler.server_selection: expected one of \"least_loaded\", \"round_robin\", \"random\", \"power_of_two\", \"weighted_round_robin\", got \"nearest\"");
}

TEST_CASE("balancers against queueing results on 50 parallel M/M/1 queues", "[balancers][queueing]") {
  const int n = 50;
  const double rho = 0.8;
  const auto random = parallel_queues(n, rho, "random");
  const auto two = parallel_queues(n, rho, "power_of_two");
  const auto shortest = parallel_queues(n, rho, "least_loaded");
  // Random routing: M/M/1 at rho per server, mean sojourn 1 / (mu (1 - rho)) = 5 ms.
  CHECK(random.latency_ms->mean == Approx(1.0 / (1.0 - rho)).epsilon(0.05));
  CHECK(random.cpu_utilization == Approx(rho).epsilon(0.02));
  // Power of two choices: near the N -> infinity limit (1.95 ms at rho 0.8), above it for finite N.
  INFO("random " << random.latency_ms->mean << " ms, power of two " << two.latency_ms->mean << " ms (limit "
                 << supermarket_mean(rho) << "), shortest queue " << shortest.latency_ms->mean << " ms");
  CHECK(two.latency_ms->mean == Approx(supermarket_mean(rho)).epsilon(0.08));
  CHECK(two.latency_ms->mean < 0.5 * random.latency_ms->mean);
  // Joining the shortest queue knows every queue: better still.
  CHECK(shortest.latency_ms->mean < two.latency_ms->mean);
  CHECK(shortest.latency_ms->mean > 1.0);  // never below the service time
}

TEST_CASE("the load index finds what a rotated scan finds", "[balancers][index]") {
  Rng rng = make_stream(5, StreamId::selection);
  for (const std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{64}, std::size_t{100}}) {
    CAPTURE(n);
    ServerLoadIndex index(n);
    std::vector<double> loads(n, 0.0);
    boost::random::uniform_int_distribution<std::size_t> server(0, n - 1);
    boost::random::uniform_int_distribution<int> level(0, 5);  // few levels: many ties; 5: a server taking none
    const auto scan = [&](std::size_t start) {  // the scan the engine used before the index
      std::size_t best = start;
      for (std::size_t k = 1; k < n; ++k) {
        const std::size_t j = (start + k) % n;
        if (loads[j] < loads[best]) best = j;
      }
      return best;
    };
    for (int step = 0; step < 2000; ++step) {
      const std::size_t i = server(rng);
      const int l = level(rng);
      loads[i] = l == 5 ? std::numeric_limits<double>::infinity() : l / 2.0;
      index.set(i, loads[i]);
      const std::size_t start = server(rng);
      REQUIRE(index.least_from(start) == scan(start));
      REQUIRE(index.argmin() == scan(0));
      REQUIRE(index.min() == loads[scan(0)]);
      REQUIRE(index.load(i) == loads[i]);
    }
    // Every server taking none: the first is still the least loaded.
    for (std::size_t i = 0; i < n; ++i) index.set(i, std::numeric_limits<double>::infinity());
    CHECK(index.argmin() == 0);
    CHECK(index.least_from(n - 1) == n - 1);
  }
}

TEST_CASE("balancers choose among the servers up only: uniformly, two up for power of two, in turn", "[balancers][failures]") {
  // Six servers, 0, 2 and 5 up; server 2 the least loaded of them; the others infinitely loaded, as a
  // server that takes no queries reports itself (sim/engine/server.h).
  const std::size_t n = 6;
  ServerLoadIndex loads(n);
  const double inf = std::numeric_limits<double>::infinity();
  const double load[] = {5, inf, 1, inf, inf, 3};
  for (std::size_t i = 0; i < n; ++i) loads.set(i, load[i]);
  const std::vector<char> up = {1, 0, 1, 0, 0, 1};
  Rng rng = make_stream(5, StreamId::selection);
  BalancerView view{loads, std::vector<int>(n, 1), std::vector<double>(n, 1.0), rng, {}, {}};
  view.up = &up;
  view.up_count = 3;
  for (const auto& policy : balancer_policies()) {
    INFO(policy.name);
    auto b = policy.make(n);
    std::vector<int> chosen(n, 0);
    for (int k = 0; k < 3000; ++k) ++chosen[b->choose(view)];
    for (std::size_t i = 0; i < n; ++i)
      if (!up[i]) CHECK(chosen[i] == 0);
    if (policy.name == "random" || policy.name == "round_robin" || policy.name == "weighted_round_robin") {
      for (std::size_t i : {0, 2, 5}) CHECK(chosen[i] == Approx(1000).margin(policy.name == "random" ? 100 : 1));
    } else if (policy.name == "power_of_two") {
      // Two distinct servers up each time: server 0 (the most loaded) only when paired with no better one, never.
      CHECK(chosen[0] == 0);
      CHECK(chosen[2] == Approx(2000).margin(120));  // paired with 0 or 5: 2 of the 3 pairs
    } else {
      CHECK(chosen[2] == 3000);  // least loaded
    }
  }
}

TEST_CASE("least_loaded and power_of_two catch up on completions at each arrival: the same choices as delivering them at their times", "[balancers][least_loaded][power_of_two]") {
  // 20 two-core servers at 85% load, queries of 1 to many requests (lognormal sizes, batch 16):
  // loads change between arrivals by completions only, so catching up before each choice and an
  // actor delivering each completion at its time must route every request to the same server
  // (least_loaded catching up every server due, power_of_two the two it drew, reading their loads
  // from them).
  for (const char* policy : {"least_loaded", "power_of_two"}) {
    CAPTURE(policy);
    auto doc = mmc_document(2, 1.0, 1.0, 40000, 4000);
    doc["platform"]["servers"][0]["count"] = 20;
    doc["workload"]["query_size"] = {{"distribution", "lognormal"}, {"median", 40}, {"top_quarter_share", 0.6}, {"max", 512}};
    doc["scheduler"]["batch_size"] = 16;
    doc["scheduler"]["server_selection"] = policy;
    Scenario s = scenario_from(doc);
    REQUIRE(s.fleet.balancer == policy);
    const auto probe = simulate_isolated(s);  // offered load per server at 1 query/s
    s.arrival.qps = 0.85 / probe.servers[0].offered;
    SimulationOptions reference;
    reference.timely_completions = true;
    const auto timely = simulate_isolated(s, reference);
    const auto caught_up = simulate_isolated(s);
    REQUIRE(timely.completed == 40000);
    CHECK(caught_up.completed == timely.completed);
    CHECK(caught_up.requests_simulated == timely.requests_simulated);
    REQUIRE(caught_up.servers.size() == timely.servers.size());
    double lowest = 1.0;
    for (std::size_t i = 0; i < timely.servers.size(); ++i) {
      CAPTURE(i);
      CHECK(caught_up.servers[i].offered == timely.servers[i].offered);  // the same work on each server
      CHECK(caught_up.servers[i].cpu == timely.servers[i].cpu);
      lowest = std::min(lowest, timely.servers[i].cpu);
    }
    CHECK(lowest > 0.5);  // every server busy: the choices are not trivial
    CHECK(caught_up.latency_ms->mean == Approx(timely.latency_ms->mean).epsilon(1e-9));  // summed in another order
    CHECK(caught_up.latency_ms->p99 == timely.latency_ms->p99);
    CHECK(caught_up.latency_ms->max == timely.latency_ms->max);
  }
}
