#pragma once
// Training's side of the online updates in a run (service.embedding_cache.updates): an actor that,
// at the end of every slice of the one update stream (sim/ps/update_stream.h), counts the updates
// published in it while the measurement window is open, once for all servers (each server's
// consumer, sim/engine/update_consumer.h, reads the same updates).
#include "sim/metrics/cache_run_stats.h"
#include "sim/metrics/measurement_window.h"
#include "sim/ps/embedding_cache_spec.h"

#include <simgrid/s4u/Host.hpp>

namespace recsim {

class UpdatePublisher {
 public:
  UpdatePublisher(const EmbeddingCacheSpec& spec, std::uint64_t seed, CacheRunStats& stats, const MeasurementWindow& metrics);
  // Creates its actor on `host` (a daemon: it ends with the simulation).
  void start(simgrid::s4u::Host* host);

 private:
  std::uint64_t seed_;
  double mean_, tick_;  // updates per slice and table; slice length
  std::size_t tables_;
  std::size_t base_;  // EmbeddingCacheSpec::stream_base
  CacheRunStats& stats_;
  const MeasurementWindow& metrics_;
};

}  // namespace recsim
