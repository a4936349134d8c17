#include "sim/engine/gpu_embedding_cache.h"

#include "sim/engine/metered_transfer.h"

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>

namespace recsim {

GpuEmbeddingCache::GpuEmbeddingCache(const EmbeddingCacheSpec& spec, std::unique_ptr<EmbeddingLookup> lookup,
                                     const LowerTiers& tiers, const GpuHost& gpu, simgrid::s4u::Host* server,
                                     CacheRunStats& stats, const MeasurementWindow& metrics)
    : spec_(spec), lookup_(std::move(lookup)), tiers_(tiers), gpu_(gpu), server_(server), stats_(stats), metrics_(metrics) {}

void GpuEmbeddingCache::start() {
  fetcher_ = simgrid::s4u::Actor::create(gpu_.name + "/hps-fetch", gpu_.host, [this] { run_background(); })->daemonize();
  if (spec_.refresh) simgrid::s4u::Actor::create(gpu_.name + "/hps-refresh", gpu_.host, [this] { run_refresh(); })->daemonize();
}

void GpuEmbeddingCache::fetch(const TableFetch& f, BusyMeter* tier_wait) {
  if (tier_wait) tier_wait->begin(simgrid::s4u::Engine::get_clock());
  tiers_.read(f.tiers, f.dim);
  if (tier_wait) tier_wait->end(simgrid::s4u::Engine::get_clock());
  const std::uint64_t bytes = f.tiers.found() * static_cast<std::uint64_t>(f.dim) * sizeof(float);
  if (bytes == 0) return;
  if (h2d_link_) {
    metered_transfer(*h2d_link_, server_, gpu_.host, bytes);
  } else {
    simgrid::s4u::Comm::sendto(server_, gpu_.host, bytes);
  }
}

void GpuEmbeddingCache::look_up(int items, bool measured) {
  EmbeddingLookup::Query q = lookup_->lookup(items, measured);
  stats_.timeline.add(simgrid::s4u::Engine::get_clock(), q.unique, q.hits);
  for (const auto& f : q.synchronous) {
    const double read_at = simgrid::s4u::Engine::get_clock();
    fetch(f, tier_wait_);
    lookup_->insert(f, read_at);
  }
  for (auto& f : q.background) {
    if (background_.size() >= kMaxBackground) {
      if (metrics_.window_open()) ++stats_.background_dropped;
      continue;
    }
    background_.push_back(std::move(f));
  }
  if (!background_.empty() && fetcher_parked_) {
    fetcher_parked_ = false;
    fetcher_->resume();
  }
}

void GpuEmbeddingCache::run_background() {
  for (;;) {
    while (background_.empty()) {
      fetcher_parked_ = true;
      simgrid::s4u::this_actor::suspend();
    }
    const TableFetch f = std::move(background_.front());
    background_.pop_front();
    const double read_at = simgrid::s4u::Engine::get_clock();
    fetch(f, nullptr);
    lookup_->insert(f, read_at);
    if (metrics_.window_open()) {
      ++stats_.background_fetches;
      stats_.background_keys += f.tiers.found();
    }
  }
}

void GpuEmbeddingCache::run_refresh() {
  for (;;) {
    simgrid::s4u::this_actor::sleep_for(spec_.refresh->interval_s);
    // A pass counts, keys and staleness included, when it starts inside the measurement window.
    const bool counted = metrics_.window_open();
    for (std::size_t t = 0; t < lookup_->tables(); ++t) {  // one table at a time: bounded memory
      const TableFetch f = lookup_->refresh_plan(t);
      if (f.tiers.total() == 0) continue;
      const double read_at = simgrid::s4u::Engine::get_clock();
      fetch(f, nullptr);
      const auto staleness = lookup_->refreshed(f, read_at, simgrid::s4u::Engine::get_clock());
      if (!counted) continue;
      stats_.refresh_keys += f.tiers.total();
      stats_.updates_visible += staleness.size();
      for (const double s : staleness) stats_.staleness.add(s);
    }
    if (counted) ++stats_.refresh_passes;
  }
}

}  // namespace recsim
