// The GPU embedding cache at key level (set-associative, 64 slots per set, approximate LRU, per-batch
// deduplication, preload of the hottest keys), the fast mode (Che's approximation) against it, and
// HPS's insertion policy and refresh of online updates on top of it.
#include "sim/ps/che_approximation.h"
#include "sim/ps/cache_preload.h"
#include "sim/ps/embedding_cache.h"
#include "sim/ps/hps_table.h"
#include "workloads/key_generator.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace recsim;

namespace {

// `count` distinct keys that the cache maps to the same set as `key0`.
std::vector<std::uint64_t> same_set_keys(const EmbeddingCache& cache, std::uint64_t key0, int count) {
  std::vector<std::uint64_t> keys;
  for (std::uint64_t k = key0; static_cast<int>(keys.size()) < count; ++k)
    if (cache.set_of(k) == cache.set_of(key0)) keys.push_back(k);
  return keys;
}

}  // namespace

TEST_CASE("cache capacity: a fraction of the rows, at least 64, in whole sets of 64", "[cache]") {
  CHECK(EmbeddingCache(1000, 0.1).capacity() == 128);  // 100 entries -> 2 sets
  CHECK(EmbeddingCache(10, 0.5).capacity() == 64);     // the minimum
  CHECK(EmbeddingCache(1'000'000, 0.2).capacity() == 200'000 + 0);  // 3125 sets exactly
  CHECK(EmbeddingCache(1'000'000, 0.2).sets() == 3125);
  CHECK(EmbeddingCache(100'000'000'000ULL, 1e-6).capacity() == 100'032);  // 10^11 rows: no per-row state
  CHECK_THROWS(EmbeddingCache(1000, 0.0));
  CHECK_THROWS(EmbeddingCache(1000, 1.5));
}

TEST_CASE("cache lookups deduplicate each batch and count hits exactly", "[cache]") {
  EmbeddingCache cache(100'000, 0.1);
  std::vector<std::uint64_t> missing;
  const std::vector<std::uint64_t> batch = {5, 5, 7, 5, 9, 7};
  auto r = cache.query(batch, missing);
  CHECK(r.lookups == 6);
  CHECK(r.unique == 3);
  CHECK(r.hits == 0);
  CHECK(missing == std::vector<std::uint64_t>{5, 7, 9});
  CHECK(cache.replace(missing) == 0);
  CHECK(cache.size() == 3);
  r = cache.query(std::vector<std::uint64_t>{9, 9, 11, 5}, missing);
  CHECK(r.unique == 3);
  CHECK(r.hits == 2);
  CHECK(r.hit_rate() == Approx(2.0 / 3.0));
  CHECK(missing == std::vector<std::uint64_t>{11});
  // Replacing a key already cached changes nothing.
  CHECK(cache.replace(std::vector<std::uint64_t>{5}) == 0);
  CHECK(cache.size() == 3);
}

TEST_CASE("a full set evicts its least recently used key", "[cache]") {
  EmbeddingCache cache(64, 1.0);  // one set of 64 slots
  REQUIRE(cache.sets() == 1);
  const auto keys = same_set_keys(cache, 1, 66);
  std::vector<std::uint64_t> missing;
  const std::vector<std::uint64_t> first(keys.begin(), keys.begin() + 64);
  cache.query(first, missing);
  CHECK(missing.size() == 64);
  CHECK(cache.replace(missing) == 0);
  CHECK(cache.size() == 64);
  // Touch every key but keys[10], one batch each so the stamps are ordered.
  for (int i = 0; i < 64; ++i)
    if (i != 10) cache.query(std::vector<std::uint64_t>{keys[static_cast<std::size_t>(i)]}, missing);
  CHECK(cache.replace(std::vector<std::uint64_t>{keys[64]}) == 1);
  CHECK_FALSE(cache.contains(keys[10]));
  CHECK(cache.contains(keys[64]));
  // Now keys[0] is the least recently used (touched first).
  CHECK(cache.replace(std::vector<std::uint64_t>{keys[65]}) == 1);
  CHECK_FALSE(cache.contains(keys[0]));
  for (int i = 1; i < 64; ++i)
    if (i != 10) CHECK(cache.contains(keys[static_cast<std::size_t>(i)]));
  CHECK(cache.size() == 64);
}

TEST_CASE("dump lists the keys of a share of the sets", "[cache]") {
  EmbeddingCache cache(6400, 0.1);  // 640 entries, 10 sets
  std::vector<std::uint64_t> keys;
  for (std::uint64_t k = 0; k < 300; ++k) keys.push_back(k);
  cache.replace(keys);
  std::vector<std::uint64_t> all;
  cache.dump(0, cache.sets(), all);
  CHECK(all.size() == cache.size());
  std::vector<std::uint64_t> half;
  cache.dump(0, 5, half);
  cache.dump(5, 5, half);
  std::sort(half.begin(), half.end());
  CHECK(half == keys);
}

TEST_CASE("preloading the hottest keys: a static cache's hit rate is their probability mass", "[cache]") {
  const std::uint64_t rows = 100'000;
  const auto zipf = make_zipf_keys(rows, 1.0, 42);
  EmbeddingCache cache(rows, 0.05);
  const std::uint64_t loaded = preload_hottest(cache, *zipf);
  CHECK(loaded == cache.size());
  CHECK(cache.size() == cache.capacity());  // each set filled with its hottest keys
  // Mass of the keys actually held, against the hit rate of lookups with no insertion.
  std::vector<std::uint64_t> held;
  cache.dump(0, cache.sets(), held);
  double mass = 0.0;
  for (auto k : held) mass += zipf->probability(k);
  Rng rng = make_stream(7, StreamId::keys);
  std::vector<std::uint64_t> batch(1), missing;
  std::uint64_t hits = 0, n = 200'000;
  for (std::uint64_t i = 0; i < n; ++i) {
    batch[0] = zipf->next(rng);
    hits += cache.query(batch, missing).hits;
  }
  const double rate = static_cast<double>(hits) / static_cast<double>(n);
  CHECK(rate == Approx(mass).margin(4 * std::sqrt(mass * (1 - mass) / static_cast<double>(n))));
  CHECK(mass > 0.7);  // 5% of a Zipf(1.0) table holds most of the mass
}

TEST_CASE("Che's approximation matches the key-level cache", "[cache][che]") {
  struct Case {
    std::uint64_t rows;
    double alpha, fraction;
    int batch;
  };
  for (const Case c : {Case{1'000'000, 1.0, 0.05, 1024}, Case{1'000'000, 0.8, 0.10, 256}, Case{200'000, 1.2, 0.01, 64},
                       Case{100'000, 0.0, 0.2, 512}}) {
    CAPTURE(c.rows, c.alpha, c.fraction, c.batch);
    const auto keys = c.alpha == 0.0 ? make_uniform_keys(c.rows) : make_zipf_keys(c.rows, c.alpha, 3);
    EmbeddingCache cache(c.rows, c.fraction);
    Rng rng = make_stream(11, StreamId::keys);
    std::vector<std::uint64_t> batch(static_cast<std::size_t>(c.batch)), missing;
    std::uint64_t unique = 0, hits = 0;
    // Warm until the cache has turned over several times, then measure.
    const std::uint64_t warm = 6 * cache.capacity() / static_cast<std::uint64_t>(c.batch) + 200;
    for (std::uint64_t b = 0; b < 2 * warm; ++b) {
      for (auto& k : batch) k = keys->next(rng);
      const auto r = cache.query(batch, missing);
      cache.replace(missing);
      if (b >= warm) {
        unique += r.unique;
        hits += r.hits;
      }
    }
    const double measured = static_cast<double>(hits) / static_cast<double>(unique);
    const auto che = che_hit_rate({c.rows, c.alpha}, static_cast<double>(cache.capacity()), c.batch);
    INFO("key level " << measured << ", Che " << che.unique_hit_rate);
    CHECK(che.unique_hit_rate == Approx(measured).margin(0.02));
  }
}

TEST_CASE("Che's approximation: closed cases", "[cache][che]") {
  // Everything fits: no misses once warm.
  CHECK(che_hit_rate({1000, 1.0}, 2000, 1).hit_rate == 1.0);
  // Uniform keys: T solves n (1 - exp(-T/n)) = C, and the hit rate is C / n.
  const auto u = che_hit_rate({10'000, 0.0}, 2'500, 1);
  CHECK(u.hit_rate == Approx(0.25).epsilon(1e-6));
  CHECK(u.characteristic_lookups == Approx(-10'000 * std::log(0.75)).epsilon(1e-6));
  // A table of 10^9 rows costs no per-row work and gives a hit rate between those of smaller tables.
  const double big = che_hit_rate({1'000'000'000, 1.1}, 1e7, 1).hit_rate;
  CHECK(big > 0.5);
  CHECK(big < 1.0);
}

TEST_CASE("Che's approximation: the integrated tail agrees with the exact sums", "[cache][che]") {
  // n = 2^20 ranks: the estimate sums the first 2^16 exactly and integrates the rest; here every
  // rank is summed.
  const std::uint64_t n = 1u << 20;
  for (double alpha : {0.7, 1.0, 1.3}) {
    CAPTURE(alpha);
    std::vector<double> p(n);
    const double norm = generalized_harmonic(n, alpha);
    for (std::uint64_t r = 0; r < n; ++r) p[r] = std::pow(static_cast<double>(r + 1), -alpha) / norm;
    const double cache = 0.05 * n, batch = 512;
    auto occupancy = [&](double t) {
      double s = 0;
      for (double x : p) s += -std::expm1(-x * t);
      return s;
    };
    double lo = 1, hi = 1;
    while (occupancy(hi) < cache) hi *= 4;
    for (int i = 0; i < 60; ++i) {
      const double mid = std::sqrt(lo * hi);
      (occupancy(mid) < cache ? lo : hi) = mid;
    }
    const double t = std::sqrt(lo * hi);
    double hit = 0, uh = 0, u = 0;
    for (double x : p) {
      hit += x * -std::expm1(-x * t);
      uh += -std::expm1(-batch * x) * -std::expm1(-x * t);
      u += -std::expm1(-batch * x);
    }
    const auto e = che_hit_rate({n, alpha}, cache, batch);
    CHECK(e.characteristic_lookups == Approx(t).epsilon(1e-4));
    CHECK(e.hit_rate == Approx(hit).epsilon(1e-5));
    CHECK(e.unique_hit_rate == Approx(uh / u).epsilon(1e-5));
  }
}

TEST_CASE("HPS insertion: synchronous below the hit-rate threshold, default vectors above it", "[cache][hps]") {
  HpsTable table({100'000, 0.1, 0.9, 0.2});
  std::vector<std::uint64_t> keys;
  for (std::uint64_t k = 1; k <= 10; ++k) keys.push_back(k);
  auto r = table.lookup(keys);  // cold: hit rate 0
  CHECK(r.synchronous);
  CHECK(r.default_answers == 0);
  CHECK(r.fetch.size() == 10);
  table.insert(r.fetch);
  keys.push_back(11);  // 10 hits of 11 unique: 0.909 >= 0.9
  r = table.lookup(keys);
  CHECK_FALSE(r.synchronous);
  CHECK(r.default_answers == 1);
  CHECK(r.fetch == std::vector<std::uint64_t>{11});
  keys.push_back(12);  // 10 of 12: 0.833 < 0.9 (11 was not inserted)
  r = table.lookup(keys);
  CHECK(r.synchronous);
  CHECK(r.default_answers == 0);
  CHECK(r.fetch.size() == 2);
  table.insert(r.fetch);
  r = table.lookup(keys);  // all hits: nothing to fetch, nothing waits
  CHECK_FALSE(r.synchronous);
  CHECK(r.fetch.empty());
  CHECK(table.batches() == 4);
  CHECK(table.synchronous_batches() == 2);
  CHECK(table.default_answers() == 1);
  CHECK(table.unique() == 10 + 11 + 12 + 12);
  CHECK(table.hits() == 0 + 10 + 10 + 12);
  // A threshold above 1 never answers with default vectors.
  HpsTable always_sync({100'000, 0.1, 1.5, 0.2});
  always_sync.insert(std::vector<std::uint64_t>{1, 2, 3});
  r = always_sync.lookup(std::vector<std::uint64_t>{1, 2, 3, 4});
  CHECK(r.synchronous);
  CHECK(r.default_answers == 0);
}

TEST_CASE("online updates reach the GPU cache through refresh passes, which measure staleness", "[cache][hps]") {
  SECTION("one set, refreshed whole") {
    HpsTable table({64, 1.0, 0.9, 1.0});
    std::vector<std::uint64_t> keys = {1, 2, 3, 4};
    table.insert(keys);
    table.update(3, 1.0);
    table.update(3, 2.0);   // delivered again or updated again: staleness counts from the first
    table.update(99, 1.5);  // not cached: nothing to refresh
    CHECK(table.stale_keys() == 1);
    const auto s = table.refresh(5.0);
    CHECK(s == std::vector<double>{4.0});
    CHECK(table.stale_keys() == 0);
    CHECK(table.refresh(6.0).empty());
  }
  SECTION("passes rotate over a share of the sets") {
    HpsTable table({6400, 0.1, 0.9, 0.2});  // 10 sets, 2 per pass
    REQUIRE(table.cache().sets() == 10);
    std::uint64_t key = 0;
    while (table.cache().set_of(key) != 7) ++key;
    table.insert(std::vector<std::uint64_t>{key});
    table.update(key, 0.5);
    CHECK(table.refresh(1.0).empty());  // sets 0, 1
    CHECK(table.refresh(2.0).empty());  // 2, 3
    CHECK(table.refresh(3.0).empty());  // 4, 5
    CHECK(table.refresh(4.0) == std::vector<double>{3.5});  // 6, 7
    // An update written while a re-read is in flight is not in what it read: it stays pending.
    std::vector<std::uint64_t> keys;
    table.update(key, 5.0, 5.5);
    bool found = false;
    for (int pass = 0; pass < 5 && !found; ++pass) {  // sets 8, 9; 0, 1; 2, 3; 4, 5; 6, 7
      table.refresh_keys(keys);
      found = std::find(keys.begin(), keys.end(), key) != keys.end();
    }
    REQUIRE(found);
    CHECK(table.refreshed(keys, 5.2, 6.0).empty());  // read from 5.2, the write landed at 5.5
    CHECK(table.stale_keys() == 1);
    table.insert(std::vector<std::uint64_t>{key}, 5.6);  // a fetch read after the write: fresh
    CHECK(table.stale_keys() == 0);
    table.update(key, 4.5);
    CHECK(table.refresh(5.0).empty());  // 8, 9
    CHECK(table.refresh(6.0).empty());  // 0, 1 again
    CHECK(table.refresh(7.0).empty());
    CHECK(table.refresh(8.0).empty());
    CHECK(table.refresh(9.0) == std::vector<double>{4.5});
  }
}
