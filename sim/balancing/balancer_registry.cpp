// The registry of balancer policies: one line per policy.
#include "sim/balancing/balancer_policies.h"

#include "sim/policy_registry.h"

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

std::vector<std::string> balancer_names() { return policy_names(balancer_policies()); }

const BalancerPolicy& balancer_policy(const std::string& name) { return find_policy(balancer_policies(), name, "balancer policy"); }

}  // namespace recsim
