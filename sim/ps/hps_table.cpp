#include "sim/ps/hps_table.h"

#include "sim/ps/cache_preload.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {

HpsTable::HpsTable(const HpsTableOptions& o) : options_(o), cache_(o.rows, o.cache_fraction) {
  if (!(o.refresh_share > 0.0) || o.refresh_share > 1.0) throw std::invalid_argument("refresh_share must be in (0, 1]");
  if (!(o.hit_rate_threshold >= 0.0)) throw std::invalid_argument("hit_rate_threshold must be >= 0");
}

HpsTable::Lookup HpsTable::lookup(std::span<const std::uint64_t> keys) {
  Lookup r;
  r.cache = cache_.query(keys, r.fetch);
  r.synchronous = !r.fetch.empty() && r.cache.hit_rate() < options_.hit_rate_threshold;
  if (!r.synchronous) r.default_answers = r.fetch.size();
  ++batches_;
  lookups_ += r.cache.lookups;
  unique_ += r.cache.unique;
  hits_ += r.cache.hits;
  default_answers_ += r.default_answers;
  synchronous_ += r.synchronous ? 1 : 0;
  return r;
}

void HpsTable::insert(std::span<const std::uint64_t> keys) {
  cache_.replace(keys);
  // A freshly loaded copy has every update so far.
  for (const auto k : keys) pending_.erase(k);
}

void HpsTable::update(std::uint64_t key, double now) {
  // Keys not cached need nothing: they will be loaded fresh. Delivery is at least once, so a key
  // may be updated again before it is visible: its staleness counts from the oldest pending update.
  if (cache_.contains(key)) pending_.try_emplace(key, now);
}

std::vector<double> HpsTable::refresh(double now) {
  std::vector<std::uint64_t> keys;
  refresh_keys(keys);
  return refreshed(keys, now);
}

void HpsTable::refresh_keys(std::vector<std::uint64_t>& out) {
  out.clear();
  const auto share = static_cast<std::uint64_t>(std::ceil(options_.refresh_share * static_cast<double>(cache_.sets())));
  // The next `share` sets in rotation (wrapping at the end).
  const std::uint64_t first = next_set_;
  const std::uint64_t to_end = std::min(share, cache_.sets() - first);
  cache_.dump(first, to_end, out);
  if (to_end < share) cache_.dump(0, share - to_end, out);
  next_set_ = (first + share) % cache_.sets();
}

std::vector<double> HpsTable::refreshed(std::span<const std::uint64_t> keys, double now) {
  std::vector<double> staleness;
  for (const auto k : keys)
    if (const auto it = pending_.find(k); it != pending_.end() && cache_.contains(k)) {
      staleness.push_back(now - it->second);
      pending_.erase(it);
    }
  // Pending keys evicted since their update are no longer stale anywhere: forget them.
  if (pending_.size() > cache_.capacity())
    std::erase_if(pending_, [this](const auto& entry) { return !cache_.contains(entry.first); });
  return staleness;
}

void HpsTable::preload(const KeyGenerator& keys) { preload_hottest(cache_, keys); }

}  // namespace recsim
