// Tier profiles (recsim calibrate --tiers, a scenario's embedding_cache.tier_profile) and their curves.
#include "fuzz_support.h"
#include "kernels/profiles/tier_profile.h"

#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = recsim::fuzz::write_input(data, size, ".json");
  recsim::fuzz::only_input_errors([&] {
    const recsim::TierProfile p = recsim::load_tier_profile(path);
    for (const char* tier : {"host_hash_map", "rocksdb", "redis"})
      for (int dim : {32, 64, 128}) {
        try {
          (void)p.curve(tier, dim).seconds_at(1000);
          (void)p.write_curve(tier, dim).seconds_at(10);
        } catch (const std::out_of_range&) {
          // the documented answer for a tier or dimension the profile lacks (the scenario parser
          // turns it into an InputError naming the key)
        }
      }
  });
  return 0;
}
