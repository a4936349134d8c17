#include "sim/engine/update_publisher.h"

#include <simgrid/s4u/Actor.hpp>

namespace recsim {

UpdatePublisher::UpdatePublisher(const EmbeddingCacheSpec& spec, std::uint64_t seed, CacheRunStats& stats, const RunMetrics& metrics)
    : stream_(spec, seed), stats_(stats), metrics_(metrics) {}

void UpdatePublisher::start(simgrid::s4u::Host* host) {
  simgrid::s4u::Actor::create("hps-update-publisher", host, [this] {
    const double tick = stream_.slice_seconds();
    for (std::uint64_t slice = 0;; ++slice) {
      simgrid::s4u::this_actor::sleep_until(static_cast<double>(slice + 1) * tick);
      if (!metrics_.window_open()) continue;
      for (std::size_t t = 0; t < stream_.tables(); ++t) stats_.updates_published += stream_.count(slice, t);
    }
  })->daemonize();
}

}  // namespace recsim
