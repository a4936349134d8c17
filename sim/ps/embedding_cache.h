#pragma once
// The GPU embedding cache of one table on one GPU, at key level, as HugeCTR's HPS builds it
// (docs/references.md, HPS): static set-associative, 64 slots per set (2 slabs of 32), a key
// hashed to one set; approximate LRU: every hit stamps the slot with a global counter, and a
// replacement fills an empty slot of the set or else evicts its smallest stamp (within a set this is
// exact LRU; across sets it approximates a fully associative LRU). Keys are deduplicated per batch
// before the lookup, and the hit rate of a batch is 1 − missing / unique keys, as HPS reports it.
//
// Bounded memory: kBytesPerSlot (12) per slot (key and stamp), whatever the table's rows; no SimGrid here.
#include <cstdint>
#include <span>
#include <vector>

namespace recsim {

class EmbeddingCache {
 public:
  static constexpr int kSlotsPerSet = 64;
  static constexpr std::uint64_t kMinEntries = 64;
  static constexpr std::uint64_t kBytesPerSlot = sizeof(std::uint64_t) + sizeof(std::uint32_t);  // key, stamp

  // The slots a cache of `fraction` of `rows` rows has (without building it).
  static std::uint64_t slots_for(std::uint64_t rows, double fraction);

  // capacity = max(64, ceil(fraction × rows)) slots, rounded up to whole sets.
  EmbeddingCache(std::uint64_t rows, double fraction);

  std::uint64_t capacity() const { return static_cast<std::uint64_t>(sets_) * kSlotsPerSet; }
  std::uint64_t sets() const { return sets_; }
  std::uint64_t size() const { return size_; }  // keys cached now

  struct BatchLookup {
    std::uint64_t lookups = 0;  // keys asked, duplicates included
    std::uint64_t unique = 0;   // after deduplication
    std::uint64_t hits = 0;     // unique keys found
    double hit_rate() const { return unique ? static_cast<double>(hits) / static_cast<double>(unique) : 1.0; }
  };
  // Deduplicates `keys`, looks each unique key up (a hit refreshes its stamp) and appends the unique
  // missing keys to `missing` (cleared first). Inserts nothing.
  BatchLookup query(std::span<const std::uint64_t> keys, std::vector<std::uint64_t>& missing);
  // Inserts keys not cached yet (HPS's Replace): an empty slot of the key's set, else the set's
  // least recently stamped key is evicted. Returns the number of evictions.
  std::uint64_t replace(std::span<const std::uint64_t> keys);
  bool contains(std::uint64_t key) const;
  // The keys held by sets [first, first + count) (for a refresh pass over a share of the sets).
  void dump(std::uint64_t first_set, std::uint64_t count, std::vector<std::uint64_t>& out) const;
  std::uint64_t set_of(std::uint64_t key) const;

 private:
  static constexpr std::uint64_t kEmpty = ~0ULL;
  std::uint64_t sets_;
  std::vector<std::uint64_t> keys_;    // sets_ × 64, kEmpty when free
  std::vector<std::uint32_t> stamps_;  // last access, from the global counter
  std::uint32_t clock_ = 0;
  std::uint64_t size_ = 0;
  // Per-batch deduplication: an open-addressing set sized to the batch, reused.
  std::vector<std::uint64_t> seen_;
  bool insert_seen(std::uint64_t key, std::uint64_t mask);
  int find(std::uint64_t set, std::uint64_t key) const;
  void tick();
};

}  // namespace recsim
