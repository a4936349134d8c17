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

double HpsTable::take_read(std::unordered_map<std::uint64_t, std::vector<Pending>>::iterator it, double read_at) {
  auto& writes = it->second;
  double oldest = -1.0;
  std::size_t n = 0;
  for (; n < writes.size() && writes[n].written <= read_at; ++n)
    oldest = oldest < 0.0 ? writes[n].published : std::min(oldest, writes[n].published);
  writes.erase(writes.begin(), writes.begin() + static_cast<std::ptrdiff_t>(n));
  if (writes.empty()) pending_.erase(it);
  return oldest;
}

void HpsTable::insert(std::span<const std::uint64_t> keys, double read_at) {
  cache_.replace(keys);
  // A copy read after an update was written has it (one written while the read was in flight may
  // not: it stays pending).
  for (const auto k : keys)
    if (const auto it = pending_.find(k); it != pending_.end()) take_read(it, read_at);
}

void HpsTable::update(std::uint64_t key, double published, double written) {
  // Keys not cached need nothing: they will be loaded fresh.
  if (!cache_.contains(key)) return;
  auto& writes = pending_[key];
  if (!writes.empty() && writes.back().written == written) {
    writes.back().published = std::min(writes.back().published, published);  // the same write (at-least-once)
  } else {
    const auto at = std::upper_bound(writes.begin(), writes.end(), written, [](double w, const Pending& p) { return w < p.written; });
    writes.insert(at, Pending{published, written});
  }
  if (pending_.size() > 2 * cache_.capacity()) prune();
}

void HpsTable::prune() {
  // Pending keys evicted since their update are no longer stale anywhere: forget them. At most the
  // capacity remain, so pruning at twice the capacity costs O(1) per update, amortised.
  std::erase_if(pending_, [this](const auto& entry) { return !cache_.contains(entry.first); });
}

std::vector<double> HpsTable::refresh(double now) {
  std::vector<std::uint64_t> keys;
  refresh_keys(keys);
  return refreshed(keys, now, now);
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

std::vector<double> HpsTable::refreshed(std::span<const std::uint64_t> keys, double read_at, double now) {
  std::vector<double> staleness;
  for (const auto k : keys)
    if (const auto it = pending_.find(k); it != pending_.end() && cache_.contains(k))
      if (const double oldest = take_read(it, read_at); oldest >= 0.0) staleness.push_back(now - oldest);
  if (pending_.size() > 2 * cache_.capacity()) prune();
  return staleness;
}

void HpsTable::preload(const KeyGenerator& keys, std::uint64_t max_rank) { preload_hottest(cache_, keys, max_rank); }

}  // namespace recsim
