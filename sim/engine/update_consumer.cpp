#include "sim/engine/update_consumer.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

// Slices fully published by `now`: those that end at or before it.
std::uint64_t published_by(double now, double tick) { return static_cast<std::uint64_t>(std::floor(now / tick + 1e-9)); }

}  // namespace

UpdateConsumer::UpdateConsumer(const EmbeddingCacheSpec& spec, const ServerHost& server, const LowerTiers& tiers,
                               std::vector<EmbeddingLookup*> gpus, CacheRunStats& stats, const MeasurementWindow& metrics,
                               std::uint64_t seed)
    : spec_(spec),
      server_(server),
      tiers_(tiers),
      gpus_(std::move(gpus)),
      stats_(stats),
      metrics_(metrics),
      stream_(spec, seed),
      last_(spec.tables.size()) {
  for (const auto& o : spec.updates->outages)
    if (o.server == server.name) outages_.push_back(o);
  std::sort(outages_.begin(), outages_.end(), [](const auto& a, const auto& b) { return a.from_s < b.from_s; });
}

void UpdateConsumer::start() {
  simgrid::s4u::Actor::create(server_.name + "/hps-updates", server_.host, [this] { run(); })->daemonize();
}

void UpdateConsumer::apply(std::uint64_t first, std::uint64_t end, bool redeliver) {
  std::vector<std::uint64_t> written(stream_.tables()), again(stream_.tables(), 0);
  for (std::size_t t = 0; t < stream_.tables(); ++t) {
    auto& batch = last_[t];
    if (redeliver)
      again[t] = batch.size();  // the previous batch stays in front: it is written again
    else
      batch.clear();
    for (std::uint64_t slice = first; slice < end; ++slice) stream_.read(slice, t, batch);
    written[t] = batch.size();
  }
  tiers_.write(written);
  const double now = simgrid::s4u::Engine::get_clock();
  const bool counted = metrics_.window_open();
  for (std::size_t t = 0; t < stream_.tables(); ++t) {
    auto& batch = last_[t];
    batch.erase(batch.begin(), batch.begin() + static_cast<std::ptrdiff_t>(again[t]));  // keep this batch only
    // Written: the GPUs' copies of these keys are stale from their publication on.
    for (const auto& [key, published] : batch)
      for (auto* gpu : gpus_) gpu->updated(t, key, published, now);
    if (counted) {
      stats_.updates_written += written[t];
      stats_.updates_redelivered += again[t];
    }
  }
}

void UpdateConsumer::run() {
  const double tick = stream_.slice_seconds();
  // Slices applied at once: as many as hold kMaxUpdateBatchKeys keys on average, at least one; a
  // rate so low that this is beyond 2^53 (or infinite) takes every slice published so far.
  const double slices = std::floor(kMaxUpdateBatchKeys / (spec_.updates->keys_per_s * tick * static_cast<double>(stream_.tables())));
  const std::uint64_t max_slices = slices < 0x1p53 ? static_cast<std::uint64_t>(std::max(1.0, slices)) : std::uint64_t{1} << 53;
  std::uint64_t next = 0;  // the first slice not applied yet
  std::size_t next_outage = 0;
  bool redeliver = false;
  for (;;) {
    double now = simgrid::s4u::Engine::get_clock();
    if (published_by(now, tick) <= next) {  // nothing new yet: poll at the next tick
      simgrid::s4u::this_actor::sleep_until(static_cast<double>(next + 1) * tick);
      now = simgrid::s4u::Engine::get_clock();
    }
    if (next_outage < outages_.size() && outages_[next_outage].from_s <= now) {
      // Down: nothing is consumed until the outage ends.
      simgrid::s4u::this_actor::sleep_until(outages_[next_outage].until_s);
      ++next_outage;
      redeliver = true;
      continue;
    }
    const std::uint64_t end = std::min(published_by(now, tick), next + max_slices);
    if (end <= next) continue;
    apply(next, end, redeliver);
    redeliver = false;
    next = end;
  }
}

}  // namespace recsim
