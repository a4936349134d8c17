#include "sim/engine/lower_tiers.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Exec.hpp>

#include <limits>
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

// A curve at a key count beyond int: the curve continues its last segment's slope there.
double seconds_for(const LatencyCurve& curve, std::uint64_t keys) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  if (keys <= kMax) return curve.seconds_at(static_cast<int>(keys));
  const double a = curve.seconds_at(static_cast<int>(kMax / 2)), b = curve.seconds_at(static_cast<int>(kMax));
  return b + (b - a) / static_cast<double>(kMax - kMax / 2) * static_cast<double>(keys - kMax);
}

double curve_at(const std::map<int, LatencyCurve>& curves, int dim, std::uint64_t keys) { return seconds_for(curves.at(dim), keys); }

}  // namespace

LowerTiers::LowerTiers(const EmbeddingCacheSpec& spec, const ServerHost& server, std::vector<simgrid::s4u::Host*> redis_nodes,
                       const MeasurementWindow& metrics)
    : spec_(spec), server_(server), redis_(std::move(redis_nodes)), metrics_(metrics) {}

void LowerTiers::work_on_server(double seconds) const {
  if (metrics_.window_open()) server_core_seconds_ += seconds;
  work_on(server_.host, seconds);
}

void LowerTiers::add_node_shares(std::vector<double>& node_seconds, std::uint64_t keys, const LatencyCurve& curve) const {
  const std::uint64_t nodes = node_seconds.size();
  for (std::uint64_t i = 0; i < nodes && i < keys; ++i) {
    const std::uint64_t node = (next_node_ + i) % nodes;  // the first keys % nodes get one key more
    node_seconds[node] += seconds_for(curve, keys / nodes + (i < keys % nodes ? 1 : 0));
  }
  next_node_ = (next_node_ + keys) % nodes;
}

void LowerTiers::run_on_nodes(const std::vector<double>& node_seconds) const {
  std::vector<simgrid::s4u::ExecPtr> execs;
  for (std::size_t i = 0; i < node_seconds.size(); ++i)
    if (node_seconds[i] > 0.0) {
      execs.push_back(simgrid::s4u::this_actor::exec_init(node_seconds[i] * kCoreSpeed)->set_host(redis_[i]));
      execs.back()->start();
    }
  for (auto& e : execs) e->wait();
}

void LowerTiers::read(const TierCounts& keys, int dim) const {
  const std::uint64_t vector_bytes = static_cast<std::uint64_t>(dim) * sizeof(float);
  const std::uint64_t asked = keys.total();
  if (asked == 0) return;
  if (!redis_.empty()) {
    // One MGET of the keys over the Redis link (whichever node it reaches, the bytes cross the one link).
    transfer(server_.host, redis_.front(), asked * kKeyBytes);
    std::vector<double> node_seconds(redis_.size(), 0.0);
    add_node_shares(node_seconds, asked, spec_.fetch_curves.at(dim));
    run_on_nodes(node_seconds);
    transfer(redis_.front(), server_.host, keys.volatile_keys * vector_bytes);
  } else {
    work_on_server(curve_at(spec_.fetch_curves, dim, asked));
  }
  const std::uint64_t below = keys.persistent_keys + keys.not_found;
  if (below == 0 || !spec_.persistent) return;
  work_on_server(curve_at(spec_.persistent_fetch_curves, dim, below));
  if (keys.persistent_keys > 0) server_.ssd->read(keys.persistent_keys * spec_.persistent->block_bytes);
}

void LowerTiers::write(const std::vector<std::uint64_t>& keys) const {
  std::uint64_t bytes = 0;
  double volatile_seconds = 0.0, persistent_seconds = 0.0;
  std::vector<double> node_seconds(redis_.size(), 0.0);
  for (std::size_t t = 0; t < keys.size(); ++t) {
    if (keys[t] == 0) continue;
    const int dim = spec_.tables[t].dim;
    bytes += keys[t] * (kKeyBytes + static_cast<std::uint64_t>(dim) * sizeof(float));
    if (!redis_.empty())
      add_node_shares(node_seconds, keys[t], spec_.volatile_write_curves.at(dim));
    else
      volatile_seconds += curve_at(spec_.volatile_write_curves, dim, keys[t]);
    if (spec_.persistent) persistent_seconds += curve_at(spec_.persistent_write_curves, dim, keys[t]);
  }
  if (bytes == 0) return;
  if (!redis_.empty()) {
    transfer(server_.host, redis_.front(), bytes);  // one MSET
    run_on_nodes(node_seconds);
  } else {
    work_on_server(volatile_seconds);
  }
  if (!spec_.persistent) return;
  work_on_server(persistent_seconds);
  server_.ssd->write(bytes);  // the write-ahead log
}

}  // namespace recsim
