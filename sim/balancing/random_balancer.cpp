// random: a server drawn uniformly, independently for each query (Poisson arrivals then make each
// server an independent Poisson queue: N parallel M/M/c queues). O(1).
#include "sim/balancing/balancer_policies.h"

#include <boost/random/uniform_int_distribution.hpp>

namespace recsim {
namespace {

class Random final : public Balancer {
 public:
  explicit Random(std::size_t servers) : pick_(0, servers - 1) {}
  std::size_t choose(const BalancerView& view) override {
    std::size_t s = pick_(view.rng);
    while (!view.is_up(s)) s = pick_(view.rng);  // uniform over the servers up
    return s;
  }

 private:
  boost::random::uniform_int_distribution<std::size_t> pick_;
};

}  // namespace

BalancerPolicy random_balancer() {
  return {"random", "a server drawn uniformly", false, false, [](std::size_t servers) { return std::make_unique<Random>(servers); }};
}

}  // namespace recsim
