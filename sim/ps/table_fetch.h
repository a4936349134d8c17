#pragma once
// What a table's missing keys cost the lower tiers: how many of them each tier holds (a miss falls
// through the GPU cache to the volatile tier, then the persistent tier, then the default vector), and
// in key mode the keys themselves, to insert into the cache when the fetch completes.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace recsim {

// The most keys one table lookup of a query may ask in the key-level mode (the scenario parser
// refuses larger queries when it can tell; sim/ps/key_level_lookup.h throws otherwise).
constexpr std::uint64_t kMaxKeysPerTableLookup = std::uint64_t{1} << 28;

struct TierCounts {
  std::uint64_t volatile_keys = 0;    // found in the volatile tier
  std::uint64_t persistent_keys = 0;  // not there, found in the persistent tier
  std::uint64_t not_found = 0;        // found nowhere: answered with the default vector
  std::uint64_t total() const { return volatile_keys + persistent_keys + not_found; }
  std::uint64_t found() const { return volatile_keys + persistent_keys; }
};

struct TableFetch {
  std::size_t table = 0;
  int dim = 1;
  TierCounts tiers;
  std::vector<std::uint64_t> keys;  // key mode: the found keys (empty in the analytic mode)
};

}  // namespace recsim
