#include "sim/engine/update_publisher.h"

#include "sim/ps/update_stream.h"

#include <simgrid/s4u/Actor.hpp>

namespace recsim {

UpdatePublisher::UpdatePublisher(const EmbeddingCacheSpec& spec, std::uint64_t seed, CacheRunStats& stats, const MeasurementWindow& metrics)
    : seed_(seed),
      mean_(spec.updates->keys_per_s * spec.updates->tick_s),
      tick_(spec.updates->tick_s),
      tables_(spec.tables.size()),
      base_(spec.stream_base),
      stats_(stats),
      metrics_(metrics) {}

void UpdatePublisher::start(simgrid::s4u::Host* host) {
  simgrid::s4u::Actor::create("hps-update-publisher", host, [this] {
    for (std::uint64_t slice = 0;; ++slice) {
      simgrid::s4u::this_actor::sleep_until(static_cast<double>(slice + 1) * tick_);
      if (!metrics_.window_open()) continue;
      for (std::size_t t = 0; t < tables_; ++t) stats_.updates_published += update_count(seed_, mean_, slice, base_ + t);
    }
  })->daemonize();
}

}  // namespace recsim
