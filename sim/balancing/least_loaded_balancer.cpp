// least_loaded: the server with the fewest outstanding requests per core (join the shortest queue,
// by load per core); ties go to the first at or after a start that advances by one on every query,
// so idle servers share the load. O(log N) through the load index.
#include "sim/balancing/balancer_policies.h"

namespace recsim {
namespace {

class LeastLoaded final : public Balancer {
 public:
  explicit LeastLoaded(std::size_t servers) : servers_(servers) {}
  std::size_t choose(const BalancerView& view) override {
    const std::size_t chosen = view.loads.least_from(start_);
    start_ = (start_ + 1) % servers_;
    return chosen;
  }

 private:
  std::size_t servers_, start_ = 0;
};

}  // namespace

BalancerPolicy least_loaded_balancer() {
  return {"least_loaded", "the fewest outstanding requests per core (join the shortest queue); ties rotate", true, false,
          [](std::size_t servers) { return std::make_unique<LeastLoaded>(servers); }};
}

}  // namespace recsim
