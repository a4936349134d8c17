// power_of_two: two distinct servers drawn uniformly, the one with fewer outstanding requests per
// core (the first drawn on a tie): Mitzenmacher's power of two choices, whose mean queue length
// approaches the supermarket model's limit as the fleet grows. O(1).
#include "sim/balancing/balancer_policies.h"

#include <boost/random/uniform_int_distribution.hpp>

namespace recsim {
namespace {

class PowerOfTwo final : public Balancer {
 public:
  explicit PowerOfTwo(std::size_t servers) : first_(0, servers - 1), second_(0, servers > 1 ? servers - 2 : 0) {}
  std::size_t choose(const BalancerView& view) override {
    std::size_t a = first_(view.rng);
    while (!view.is_up(a)) a = first_(view.rng);  // two distinct servers up, each uniform
    if (view.cores.size() == 1 || (view.up && view.up_count < 2)) return a;
    view.prefetch(a);
    std::size_t b;
    do {
      b = second_(view.rng);
      if (b >= a) ++b;  // distinct from a, uniform over the others
    } while (!view.is_up(b));
    view.prefetch(b);
    const double load_a = view.sample_load(a);  // (first a: completions caught up in the order drawn)
    const double load_b = view.sample_load(b);
    return load_b < load_a ? b : a;
  }

 private:
  boost::random::uniform_int_distribution<std::size_t> first_, second_;
};

}  // namespace

BalancerPolicy power_of_two_balancer() {
  return {"power_of_two", "the less loaded of two servers drawn at random", true, true,
          [](std::size_t servers) { return std::make_unique<PowerOfTwo>(servers); }};
}

}  // namespace recsim
