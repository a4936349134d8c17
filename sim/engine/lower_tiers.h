#pragma once
// The lower tiers of the parameter server as one server reaches them, in virtual time: the volatile
// tier (abseil's hash map in the server's memory, or the Redis cluster over its network link: a
// batch's keys hash evenly over its nodes, which serve their shares in parallel, each node's
// concurrent commands sharing its one core; the nodes that get one key more than the others rotate from call to call) and the
// persistent tier (RocksDB on the server's SSD, a SimGrid disk). Each operation's software time comes
// from the tier profile's curve at the batch's key count (docs/calibration.md), run as work on the
// host that does it, so concurrent operations share its cores; bytes cross
// the platform's links and disk, so they contend with everything else there.
//
// A read falls through: the volatile tier is asked for every missing key; those it lacks go to the
// persistent tier (a bloom-filtered MultiGet: only keys found there read a block from the disk); keys
// found nowhere are answered with the default vector. Moving the found vectors to the GPU is the
// caller's (the GPU's PCIe link).
//
// The work on the server's own cores (hash-map and RocksDB software time) is counted in core-seconds
// for the results (utilization.servers.N.tier_work). It is not charged to the inference requests'
// cores: CPU inference is timed from the profile, so the two do not slow each other
// (docs/parameter-server.md, "what is not modelled").
#include "sim/engine/platform.h"
#include "sim/metrics/measurement_window.h"
#include "sim/ps/table_fetch.h"
#include "sim/ps/embedding_cache_spec.h"

#include <cstdint>
#include <vector>

namespace recsim {

class LowerTiers {
 public:
  LowerTiers(const EmbeddingCacheSpec& spec, const ServerHost& server, std::vector<simgrid::s4u::Host*> redis_nodes,
             const MeasurementWindow& metrics);
  // Reads one table's missing keys (dimension `dim`); blocks the calling actor until they are read.
  void read(const TierCounts& keys, int dim) const;
  // Writes one batch of updated vectors, `keys[t]` of table t (dimension spec.tables[t].dim), to the
  // volatile and the persistent tier: one transfer to Redis and one SSD write for all tables, the
  // software time being the sum of each table's measured write of its keys (the profile times one
  // table's batch, fixed cost included, so a batch over many tables pays it per table).
  void write(const std::vector<std::uint64_t>& keys) const;
  // Core-seconds of tier work started on the server's cores inside the measurement window.
  double server_core_seconds() const { return server_core_seconds_; }

 private:
  const EmbeddingCacheSpec& spec_;
  const ServerHost& server_;
  std::vector<simgrid::s4u::Host*> redis_;  // empty: the volatile tier is the host hash map
  const MeasurementWindow& metrics_;
  mutable std::uint64_t next_node_ = 0;
  mutable double server_core_seconds_ = 0.0;
  void work_on_server(double seconds) const;  // one core's work on the server, metered
  // Adds each Redis node's time for its share of `keys` to `node_seconds`.
  void add_node_shares(std::vector<double>& node_seconds, std::uint64_t keys, const LatencyCurve& curve) const;
  void run_on_nodes(const std::vector<double>& node_seconds) const;
};

}  // namespace recsim
