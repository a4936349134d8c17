#include "sim/engine/lower_tiers.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Exec.hpp>

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
  const double volatile_seconds = curve_at(spec_.fetch_curves, dim, asked);
  if (redis_) {
    transfer(server_.host, redis_, asked * kKeyBytes);  // one MGET of the keys
    work_on(redis_, volatile_seconds);
    transfer(redis_, server_.host, keys.volatile_keys * vector_bytes);
  } else {
    work_on(server_.host, volatile_seconds);
  }
  const std::uint64_t below = keys.persistent_keys + keys.not_found;
  if (below == 0 || !spec_.persistent) return;
  work_on(server_.host, curve_at(spec_.persistent_fetch_curves, dim, below));
  if (keys.persistent_keys > 0) server_.ssd->read(keys.persistent_keys * spec_.persistent->block_bytes);
}

void LowerTiers::write(std::uint64_t keys, int dim) const {
  if (keys == 0) return;
  const std::uint64_t record_bytes = keys * (kKeyBytes + static_cast<std::uint64_t>(dim) * sizeof(float));
  const double volatile_seconds = curve_at(spec_.volatile_write_curves, dim, keys);
  if (redis_) {
    transfer(server_.host, redis_, record_bytes);  // one MSET
    work_on(redis_, volatile_seconds);
  } else {
    work_on(server_.host, volatile_seconds);
  }
  if (!spec_.persistent) return;
  work_on(server_.host, curve_at(spec_.persistent_write_curves, dim, keys));
  server_.ssd->write(record_bytes);  // the write-ahead log
}

}  // namespace recsim
