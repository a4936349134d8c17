#pragma once
// The balancer policies, one per file; balancer_registry.cpp lists them.
#include "sim/balancing/balancer.h"

namespace recsim {

BalancerPolicy least_loaded_balancer();
BalancerPolicy round_robin_balancer();
BalancerPolicy random_balancer();
BalancerPolicy power_of_two_balancer();
BalancerPolicy weighted_round_robin_balancer();

}  // namespace recsim
