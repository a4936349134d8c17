#pragma once
// The load balancer in front of the servers: for each query split over CPU cores, which server gets
// its requests. A policy is one file (sim/balancing/*_balancer.cpp) and one line in the registry
// (balancer_registry.cpp); scheduler.server_selection names it, and the parser's allowed names are
// the registry's. Every policy chooses in O(1) or O(log N) of the fleet's N servers.
#include "sim/balancing/server_load_index.h"
#include "workloads/random_stream.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace recsim {

// What a balancer may read: the servers' loads (outstanding requests per core, kept current by the
// servers), their core counts, their capacity for the model, and its own random stream. A balancer
// sees only the servers hosting one model (format 2: one balancer per model, so every policy routes
// a query only to servers that host its model); indices are into that list.
struct BalancerView {
  const ServerLoadIndex& loads;
  std::vector<int> cores;       // per server
  std::vector<double> weights;  // per server: cores / the model's mean request time there (queries/s scale)
  Rng& rng;
  // Brings server i's load up to date before a policy that samples a few loads reads it (set when
  // completions are delivered lazily; empty when every load is always current).
  std::function<void(std::size_t)> refresh;
  // Which servers take queries (failures, autoscaling): null when all do; else at least one does,
  // and a policy chooses among those only (a server that does not reads as infinitely loaded).
  const std::vector<char>* up = nullptr;
  std::size_t up_count = 0;  // with `up`: how many are up
  bool is_up(std::size_t i) const { return !up || (*up)[i]; }
};

class Balancer {
 public:
  virtual ~Balancer() = default;
  // The server of the next query.
  virtual std::size_t choose(const BalancerView& view) = 0;
};

struct BalancerPolicy {
  std::string name;
  std::string description;  // for docs and errors
  bool reads_loads = false;  // whether it reads view.loads (else the servers do not keep it current)
  // Whether it reads only a few loads, each after view.refresh (then lazily delivered completions
  // suffice); else it reads them all, and the servers deliver completions as they happen.
  bool samples_loads = false;
  std::function<std::unique_ptr<Balancer>(std::size_t servers)> make;
};

// Every balancer, in the order the docs list them.
const std::vector<BalancerPolicy>& balancer_policies();
std::vector<std::string> balancer_names();
// The policy of that name; throws std::out_of_range for an unknown one (the parser checks names).
const BalancerPolicy& balancer_policy(const std::string& name);

}  // namespace recsim
