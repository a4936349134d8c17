// The registry of balancer policies: one line per policy.
#include "sim/balancing/balancer_policies.h"

#include <stdexcept>

namespace recsim {

const std::vector<BalancerPolicy>& balancer_policies() {
  static const std::vector<BalancerPolicy> policies = {
      least_loaded_balancer(),
      round_robin_balancer(),
      random_balancer(),
      power_of_two_balancer(),
      weighted_round_robin_balancer(),
  };
  return policies;
}

std::vector<std::string> balancer_names() {
  std::vector<std::string> names;
  for (const auto& p : balancer_policies()) names.push_back(p.name);
  return names;
}

const BalancerPolicy& balancer_policy(const std::string& name) {
  for (const auto& p : balancer_policies())
    if (p.name == name) return p;
  throw std::out_of_range("no balancer policy \"" + name + "\"");
}

}  // namespace recsim
