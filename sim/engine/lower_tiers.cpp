#include "sim/engine/lower_tiers.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Exec.hpp>

#include <vector>

namespace recsim {
namespace {

constexpr std::uint64_t kKeyBytes = sizeof(std::uint64_t);

// `seconds` of one core's work on `host`, sharing its cores with the work already there.
void work_on(simgrid::s4u::Host* host, double seconds) {
  if (seconds > 0.0) simgrid::s4u::this_actor::exec_init(seconds * kCoreSpeed)->set_host(host)->wait();
}

void transfer(simgrid::s4u::Host* from, simgrid::s4u::Host* to, std::uint64_t bytes) {
  if (bytes > 0) simgrid::s4u::Comm::sendto(from, to, bytes);
}

// A batch of `keys` on the Redis cluster: the keys hash evenly over its nodes, each node serving its
// share (one node's time against its keys: `curve`). Adds each node's time to `node_seconds`.
void add_node_shares(std::vector<double>& node_seconds, std::uint64_t keys, const LatencyCurve& curve) {
  const std::uint64_t nodes = node_seconds.size();
  for (std::uint64_t i = 0; i < nodes && i < keys; ++i)
    node_seconds[i] += curve.seconds_at(static_cast<int>(keys / nodes + (i < keys % nodes ? 1 : 0)));
}

// The Redis nodes work at the same time, one core each.
void run_on_nodes(simgrid::s4u::Host* redis, const std::vector<double>& node_seconds) {
  std::vector<simgrid::s4u::ExecPtr> execs;
  for (const double s : node_seconds)
    if (s > 0.0) {
      execs.push_back(simgrid::s4u::this_actor::exec_init(s * kCoreSpeed)->set_host(redis));
      execs.back()->start();
    }
  for (auto& e : execs) e->wait();
}

double curve_at(const std::map<int, LatencyCurve>& curves, int dim, std::uint64_t keys) {
  return curves.at(dim).seconds_at(static_cast<int>(keys));
}

}  // namespace

LowerTiers::LowerTiers(const EmbeddingCacheSpec& spec, const ServerHost& server, simgrid::s4u::Host* redis)
    : spec_(spec), server_(server), redis_(redis) {}

void LowerTiers::read(const TierCounts& keys, int dim) const {
  const std::uint64_t vector_bytes = static_cast<std::uint64_t>(dim) * sizeof(float);
  const std::uint64_t asked = keys.total();
  if (asked == 0) return;
  if (redis_) {
    transfer(server_.host, redis_, asked * kKeyBytes);  // one MGET of the keys
    std::vector<double> node_seconds(static_cast<std::size_t>(spec_.redis->nodes), 0.0);
    add_node_shares(node_seconds, asked, spec_.fetch_curves.at(dim));
    run_on_nodes(redis_, node_seconds);
    transfer(redis_, server_.host, keys.volatile_keys * vector_bytes);
  } else {
    work_on(server_.host, curve_at(spec_.fetch_curves, dim, asked));
  }
  const std::uint64_t below = keys.persistent_keys + keys.not_found;
  if (below == 0 || !spec_.persistent) return;
  work_on(server_.host, curve_at(spec_.persistent_fetch_curves, dim, below));
  if (keys.persistent_keys > 0) server_.ssd->read(keys.persistent_keys * spec_.persistent->block_bytes);
}

void LowerTiers::write(const std::vector<std::uint64_t>& keys) const {
  std::uint64_t bytes = 0;
  double volatile_seconds = 0.0, persistent_seconds = 0.0;
  std::vector<double> node_seconds(redis_ ? static_cast<std::size_t>(spec_.redis->nodes) : 0, 0.0);
  for (std::size_t t = 0; t < keys.size(); ++t) {
    if (keys[t] == 0) continue;
    const int dim = spec_.tables[t].dim;
    bytes += keys[t] * (kKeyBytes + static_cast<std::uint64_t>(dim) * sizeof(float));
    if (redis_)
      add_node_shares(node_seconds, keys[t], spec_.volatile_write_curves.at(dim));
    else
      volatile_seconds += curve_at(spec_.volatile_write_curves, dim, keys[t]);
    if (spec_.persistent) persistent_seconds += curve_at(spec_.persistent_write_curves, dim, keys[t]);
  }
  if (bytes == 0) return;
  if (redis_) {
    transfer(server_.host, redis_, bytes);  // one MSET
    run_on_nodes(redis_, node_seconds);
  } else {
    work_on(server_.host, volatile_seconds);
  }
  if (!spec_.persistent) return;
  work_on(server_.host, persistent_seconds);
  server_.ssd->write(bytes);  // the write-ahead log
}

}  // namespace recsim
