// Benchmark (not a test) of the key-level GPU embedding cache: lookups per wall second on one core.
// A table of 10^8 rows with Zipf(alpha) keys, batches of `batch` keys, a cache of `fraction` of the
// rows; every batch is deduplicated, looked up, and its misses inserted (synchronous insertion).
// Keys are generated before the clock starts; the figure is the cache's alone.
// Usage: recsim_cache_bench [LOOKUPS] [FRACTION] [ALPHA] [BATCH]   (defaults 20000000 0.1 1.2 1024)
#include "sim/ps/embedding_cache.h"
#include "workloads/key_generator.h"
#include "workloads/random_stream.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

int main(int argc, char** argv) {
  using namespace recsim;
  const std::uint64_t lookups = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  const double fraction = argc > 2 ? std::atof(argv[2]) : 0.1;
  const double alpha = argc > 3 ? std::atof(argv[3]) : 1.2;
  const std::size_t batch = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 1024;
  const std::uint64_t rows = 100'000'000;
  const auto generator = make_zipf_keys(rows, alpha, 1);
  Rng rng = make_stream(1, StreamId::keys);
  std::vector<std::uint64_t> keys(lookups);
  const auto g0 = std::chrono::steady_clock::now();
  for (auto& k : keys) k = generator->next(rng);
  const double generate = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();

  EmbeddingCache cache(rows, fraction);
  std::vector<std::uint64_t> missing;
  std::uint64_t unique = 0, hits = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i + batch <= keys.size(); i += batch) {
    const auto r = cache.query(std::span(keys).subspan(i, batch), missing);
    cache.replace(missing);
    unique += r.unique;
    hits += r.hits;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("cache: %llu rows, fraction %g (%llu slots), zipf alpha %g, batches of %zu\n",
              static_cast<unsigned long long>(rows), fraction, static_cast<unsigned long long>(cache.capacity()), alpha, batch);
  std::printf("%llu lookups in %.3f s: %.1f M lookups/s (cache alone); key generation %.1f M keys/s; unique hit rate %.4f\n",
              static_cast<unsigned long long>(lookups), wall, static_cast<double>(lookups) / wall / 1e6,
              static_cast<double>(lookups) / generate / 1e6, unique ? static_cast<double>(hits) / static_cast<double>(unique) : 0.0);
  return 0;
}
