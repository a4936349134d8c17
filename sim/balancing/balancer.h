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

// What a balancer may read: the servers' loads (outstanding requests per core: all of them in an
// index the servers keep current, or a few read from the servers themselves), their core counts,
// their capacity for the model, and its own random stream. A balancer
// sees only the servers hosting one model (format 2: one balancer per model, so every policy routes
// a query only to servers that host its model); indices are into that list.
struct BalancerView {
  const ServerLoadIndex& loads;
  std::vector<int> cores;       // per server
  std::vector<double> weights;  // per server: cores / the model's mean request time there (queries/s scale)
  Rng& rng;
  // Server i's load now, read from the server (its completions due delivered first, where they are
  // delivered lazily), for a policy that samples a few loads: the servers keep no index for it, one
  // update per request that would touch memory no other request of the fleet touches (the engine
  // then passes an empty `loads`; the number of servers is cores.size()). Empty: read `loads` (a
  // balancer tested on its own).
  std::function<double(std::size_t)> load_now;
  double sample_load(std::size_t i) const { return load_now ? load_now(i) : loads.load(i); }
  // Where set: server i's load will be read soon (by sample_load); its memory starts coming now, so
  // that the loads of servers sampled together arrive together (a large fleet's servers are cold).
  std::function<void(std::size_t)> will_sample;
  void prefetch(std::size_t i) const {
    if (will_sample) will_sample(i);
  }
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
  bool reads_loads = false;  // whether it reads the servers' loads
  // Whether it reads only a few loads, each by view.sample_load (then lazily delivered completions
  // suffice); else it reads them all in view.loads, kept current by the servers.
  bool samples_loads = false;
  std::function<std::unique_ptr<Balancer>(std::size_t servers)> make;
};

// Every balancer, in the order the docs list them.
const std::vector<BalancerPolicy>& balancer_policies();
std::vector<std::string> balancer_names();
// The policy of that name; throws std::out_of_range for an unknown one (the parser checks names).
const BalancerPolicy& balancer_policy(const std::string& name);

}  // namespace recsim
