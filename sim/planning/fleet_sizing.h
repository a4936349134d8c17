#pragma once
// Fleet sizing for a capacity plan (docs/planning.md): each model gets a pool of servers of the
// kinds allowed, enough that the pool's summed per-server capacities (the most load one server of
// that kind carries for that model alone within its SLA) cover the model's target rate, at the
// lowest total of the objective (cost per hour, power or server count per server of each kind).
//
// Per model it takes the kind with the lowest objective per unit of capacity as the primary, fills
// floor(target / capacity) of it, and covers the remainder with the cheapest of: one more primary
// server, or the fewest servers of any one other kind that cover it. Optimal for one kind; within one
// server's objective of the optimum otherwise.
#include <stdexcept>
#include <string>
#include <vector>

namespace recsim {

struct KindOffer {
  std::string kind;
  double capacity_qps = 0;  // one server, this model alone, within its SLA; 0: cannot serve it
  double objective = 0;     // per server: cost per hour, watts or 1
};

struct PoolSize {
  std::string kind;
  int servers = 0;
};

// The most servers a pool may have: a scenario's limit (docs/scenario-format.md).
constexpr double kMaxPoolServers = 100'000;

// No pool meets the target: no allowed kind serves the model, or it would need too many servers.
struct PoolSizingError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throws PoolSizingError when no kind can serve the model (every capacity 0), or when the
// target needs more than kMaxPoolServers servers.
std::vector<PoolSize> size_pool(double target_qps, const std::vector<KindOffer>& offers);

}  // namespace recsim
