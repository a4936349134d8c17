#include "sim/engine/update_consumer.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>

namespace recsim {

UpdateConsumer::UpdateConsumer(const EmbeddingCacheSpec& spec, const ServerHost& server, const LowerTiers& tiers,
                               std::vector<EmbeddingLookup*> gpus, CacheRunStats& stats, const RunMetrics& metrics,
                               std::uint64_t seed, std::uint32_t server_index)
    : spec_(spec),
      server_(server),
      tiers_(tiers),
      gpus_(std::move(gpus)),
      stats_(stats),
      metrics_(metrics),
      popularity_(table_popularities(spec, seed)),
      rng_(make_stream(seed, StreamId::updates, server_index)),
      last_(spec.tables.size()) {
  for (const auto& o : spec.updates->outages)
    if (o.server == server.name) outages_.push_back(o);
  std::sort(outages_.begin(), outages_.end(), [](const auto& a, const auto& b) { return a.from_s < b.from_s; });
}

void UpdateConsumer::start() {
  simgrid::s4u::Actor::create(server_.name + "/hps-updates", server_.host, [this] { run(); })->daemonize();
}

void UpdateConsumer::apply(double from, double to, bool redeliver) {
  const double rate = spec_.updates->keys_per_s;
  boost::random::uniform_real_distribution<double> when(from, to);
  std::vector<std::uint64_t> written(popularity_.size()), again(popularity_.size(), 0);
  for (std::size_t t = 0; t < popularity_.size(); ++t) {
    auto& batch = last_[t];
    if (redeliver)
      again[t] = batch.size();  // the previous batch stays in front: it is written again
    else
      batch.clear();
    const auto fresh = boost::random::poisson_distribution<std::uint64_t, double>(rate * (to - from))(rng_);
    for (std::uint64_t i = 0; i < fresh; ++i) batch.emplace_back(popularity_[t].keys->next(rng_), when(rng_));
    written[t] = batch.size();
  }
  tiers_.write(written);
  // Written: the GPUs' copies of these keys are stale from their publication on.
  const bool counted = metrics_.window_open();
  for (std::size_t t = 0; t < popularity_.size(); ++t) {
    auto& batch = last_[t];
    for (const auto& [key, published] : batch)
      for (auto* gpu : gpus_) gpu->updated(t, key, published);
    if (counted) {
      stats_.updates_published += written[t] - again[t];
      stats_.updates_written += written[t];
      stats_.updates_redelivered += again[t];
    }
    batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(again[t]));  // keep this batch only
  }
}

void UpdateConsumer::run() {
  const double tick = spec_.updates->tick_s;
  const double max_span = kMaxBatchKeys / (spec_.updates->keys_per_s * static_cast<double>(popularity_.size()));
  double applied_until = 0.0;
  std::size_t next_outage = 0;
  bool redeliver = false;
  for (;;) {
    const double now = simgrid::s4u::Engine::get_clock();
    const double target = std::max(now, applied_until + tick);
    if (next_outage < outages_.size() && outages_[next_outage].from_s <= target) {
      // Down: nothing is consumed until the outage ends.
      simgrid::s4u::this_actor::sleep_until(std::max(now, outages_[next_outage].until_s));
      ++next_outage;
      redeliver = true;
      continue;
    }
    simgrid::s4u::this_actor::sleep_until(target);
    const double to = std::min(target, applied_until + max_span);
    apply(applied_until, to, redeliver);
    redeliver = false;
    applied_until = to;
  }
}

}  // namespace recsim
