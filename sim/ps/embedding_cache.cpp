#include "sim/ps/embedding_cache.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace recsim {
namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser: spreads keys over sets
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

std::uint64_t EmbeddingCache::slots_for(std::uint64_t rows, double fraction) {
  if (rows == 0 || !(fraction > 0.0) || fraction > 1.0) throw std::invalid_argument("cache: rows >= 1, fraction in (0, 1]");
  const auto entries = std::max<std::uint64_t>(kMinEntries, static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(rows))));
  return (entries + kSlotsPerSet - 1) / kSlotsPerSet * kSlotsPerSet;
}

EmbeddingCache::EmbeddingCache(std::uint64_t rows, double fraction) {
  sets_ = slots_for(rows, fraction) / kSlotsPerSet;
  keys_.assign(sets_ * kSlotsPerSet, kEmpty);
  stamps_.assign(sets_ * kSlotsPerSet, 0);
}

std::uint64_t EmbeddingCache::set_of(std::uint64_t key) const {
  // Multiply-shift range reduction of the mixed key: uniform over the sets without a division.
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(mix(key)) * sets_) >> 64);
}

int EmbeddingCache::find(std::uint64_t set, std::uint64_t key) const {
  const std::uint64_t* slots = keys_.data() + set * kSlotsPerSet;
  for (int i = 0; i < kSlotsPerSet; ++i)
    if (slots[i] == key) return i;
  return -1;
}

bool EmbeddingCache::contains(std::uint64_t key) const { return find(set_of(key), key) >= 0; }

void EmbeddingCache::tick() {
  if (++clock_ != 0) return;
  // The 32-bit counter wrapped (after 4 billion batches): keep the order, restart the stamps low.
  for (auto& s : stamps_) s = s >> 1;
  clock_ = 1u << 31;
}

bool EmbeddingCache::insert_seen(std::uint64_t key, std::uint64_t mask) {
  std::uint64_t i = mix(key) & mask;
  while (seen_[i] != kEmpty) {
    if (seen_[i] == key) return false;
    i = (i + 1) & mask;
  }
  seen_[i] = key;
  return true;
}

EmbeddingCache::BatchLookup EmbeddingCache::query(std::span<const std::uint64_t> keys, std::vector<std::uint64_t>& missing) {
  missing.clear();
  BatchLookup r;
  r.lookups = keys.size();
  const std::size_t table = std::bit_ceil(std::max<std::size_t>(16, keys.size() * 2));
  if (seen_.size() < table) seen_.resize(table);
  std::fill_n(seen_.begin(), table, kEmpty);
  const std::uint64_t mask = table - 1;
  tick();
  for (const std::uint64_t key : keys) {
    if (key == kEmpty) throw std::invalid_argument("cache: key 2^64 - 1 is reserved");
    if (!insert_seen(key, mask)) continue;
    ++r.unique;
    const std::uint64_t set = set_of(key);
    const int slot = find(set, key);
    if (slot >= 0) {
      ++r.hits;
      stamps_[set * kSlotsPerSet + static_cast<std::uint64_t>(slot)] = clock_;
    } else {
      missing.push_back(key);
    }
  }
  return r;
}

std::uint64_t EmbeddingCache::replace(std::span<const std::uint64_t> keys) {
  std::uint64_t evictions = 0;
  for (const std::uint64_t key : keys) {
    if (key == kEmpty) throw std::invalid_argument("cache: key 2^64 - 1 is reserved");
    const std::uint64_t set = set_of(key);
    if (find(set, key) >= 0) continue;
    std::uint64_t* slots = keys_.data() + set * kSlotsPerSet;
    std::uint32_t* stamps = stamps_.data() + set * kSlotsPerSet;
    int victim = -1;
    for (int i = 0; i < kSlotsPerSet; ++i)
      if (slots[i] == kEmpty) {
        victim = i;
        break;
      }
    if (victim < 0) {
      victim = static_cast<int>(std::min_element(stamps, stamps + kSlotsPerSet) - stamps);
      ++evictions;
    } else {
      ++size_;
    }
    slots[victim] = key;
    stamps[victim] = clock_;
  }
  return evictions;
}

void EmbeddingCache::dump(std::uint64_t first_set, std::uint64_t count, std::vector<std::uint64_t>& out) const {
  const std::uint64_t end = std::min(sets_, first_set + count);
  for (std::uint64_t s = first_set; s < end; ++s)
    for (int i = 0; i < kSlotsPerSet; ++i)
      if (const std::uint64_t k = keys_[s * kSlotsPerSet + static_cast<std::uint64_t>(i)]; k != kEmpty) out.push_back(k);
}

}  // namespace recsim
