// round_robin: servers in turn, whatever their load or size. O(1).
#include "sim/balancing/balancer_policies.h"

namespace recsim {
namespace {

class RoundRobin final : public Balancer {
 public:
  explicit RoundRobin(std::size_t servers) : servers_(servers) {}
  std::size_t choose(const BalancerView& view) override {
    while (!view.is_up(next_)) next_ = (next_ + 1) % servers_;  // the next one up
    const std::size_t chosen = next_;
    next_ = (next_ + 1) % servers_;
    return chosen;
  }

 private:
  std::size_t servers_, next_ = 0;
};

}  // namespace

BalancerPolicy round_robin_balancer() {
  return {"round_robin", "servers in turn", false, false, [](std::size_t servers) { return std::make_unique<RoundRobin>(servers); }};
}

}  // namespace recsim
