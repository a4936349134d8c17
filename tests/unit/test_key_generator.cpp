// Embedding-key generators: uniform and power law (Zipf), and the rank-scattering permutation.
#include "workloads/input_error.h"
#include "workloads/key_generator.h"
#include "workloads/key_trace.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <set>
#include <vector>

using namespace recsim;

TEST_CASE("generalized harmonic numbers match closed forms and direct sums", "[workloads][keys]") {
  CHECK(generalized_harmonic(1, 1.3) == Approx(1.0));
  CHECK(generalized_harmonic(4, 1.0) == Approx(1.0 + 0.5 + 1.0 / 3 + 0.25).epsilon(1e-14));
  CHECK(generalized_harmonic(3, 2.0) == Approx(1.0 + 0.25 + 1.0 / 9).epsilon(1e-14));
  // Beyond the exact-sum limit the Euler–Maclaurin tail takes over: zeta(2) - H(n, 2) ~ 1/n.
  const double n = 1e9;
  CHECK(generalized_harmonic(1'000'000'000, 2.0) == Approx(M_PI * M_PI / 6 - 1 / n + 1 / (2 * n * n)).epsilon(1e-13));
  // H(n, 1) = ln n + gamma + 1/(2n) - ...
  CHECK(generalized_harmonic(1'000'000'000, 1.0) == Approx(std::log(n) + 0.57721566490153286 + 1 / (2 * n)).epsilon(1e-13));
}

TEST_CASE("the key permutation is a seeded bijection of 0 .. n-1", "[workloads][keys]") {
  for (std::uint64_t n : {1ULL, 2ULL, 7ULL, 1000ULL, 4096ULL, 5003ULL}) {
    KeyPermutation p(n, 42);
    std::set<std::uint64_t> images;
    for (std::uint64_t x = 0; x < n; ++x) {
      const auto y = p(x);
      REQUIRE(y < n);
      CHECK(p.inverse(y) == x);
      images.insert(y);
    }
    CHECK(images.size() == n);
  }
  KeyPermutation a(1000, 1), b(1000, 2);
  int same = 0;
  for (std::uint64_t x = 0; x < 1000; ++x) same += a(x) == b(x);
  CHECK(same < 20);  // different seeds scatter differently (about 1 fixed coincidence expected)
}

TEST_CASE("uniform keys cover the table evenly", "[workloads][keys]") {
  auto gen = make_uniform_keys(10);
  Rng rng = make_stream(3, StreamId::keys);
  std::vector<int> counts(10, 0);
  const int draws = 100000;
  for (int i = 0; i < draws; ++i) {
    const auto k = gen->next(rng);
    REQUIRE(k < 10);
    ++counts[k];
  }
  for (int c : counts) CHECK(c / double(draws) == Approx(0.1).margin(0.005));
  CHECK(gen->probability(3) == Approx(0.1));
  CHECK(gen->probability(10) == 0.0);
}

TEST_CASE("Zipf keys follow r^-alpha / H(n, alpha) exactly", "[workloads][keys]") {
  for (double alpha : {0.6, 1.0, 1.2, 2.0}) {
    const std::uint64_t n = 50;
    auto gen = make_zipf_keys(n, alpha, 7);
    Rng rng = make_stream(11, StreamId::keys);
    std::vector<int> counts(n, 0);
    const int draws = 400000;
    for (int i = 0; i < draws; ++i) ++counts[gen->next(rng)];
    // Pearson chi-square over the 50 keys: 49 degrees of freedom, the 99.99% quantile is about 95.
    double chi2 = 0, total_p = 0;
    for (std::uint64_t k = 0; k < n; ++k) {
      const double expected = gen->probability(k) * draws;
      total_p += gen->probability(k);
      chi2 += (counts[k] - expected) * (counts[k] - expected) / expected;
    }
    INFO("alpha = " << alpha);
    CHECK(total_p == Approx(1.0).epsilon(1e-12));
    CHECK(chi2 < 95.0);
    // The hottest key is rank 1 and has probability 1/H(n, alpha).
    std::uint64_t hottest = 0;
    for (std::uint64_t k = 1; k < n; ++k)
      if (counts[k] > counts[hottest]) hottest = k;
    CHECK(gen->probability(hottest) == Approx(1.0 / generalized_harmonic(n, alpha)));
  }
}

TEST_CASE("Zipf keys on a huge table stay in range and are reproducible", "[workloads][keys]") {
  const std::uint64_t rows = 4'000'000'000ULL;
  auto a = make_zipf_keys(rows, 1.05, 9);
  auto b = make_zipf_keys(rows, 1.05, 9);
  Rng ra = make_stream(1, StreamId::keys), rb = make_stream(1, StreamId::keys);
  for (int i = 0; i < 10000; ++i) {
    const auto k = a->next(ra);
    REQUIRE(k < rows);
    REQUIRE(k == b->next(rb));
  }
  // rank_of inverts key_of_rank (the tiers of a parameter server hold rank prefixes).
  for (const std::uint64_t r : std::vector<std::uint64_t>{0, 1, 77, 123'456'789, rows - 1}) CHECK(a->rank_of(a->key_of_rank(r)) == r);
  CHECK(make_uniform_keys(100)->rank_of(42) == 42);
}

TEST_CASE("key generators reject empty tables and bad exponents", "[workloads][keys]") {
  CHECK_THROWS_WITH(make_uniform_keys(0), "key generator: a table needs at least one row");
  CHECK_THROWS_WITH(make_zipf_keys(10, 0.0, 1), "key generator: power-law alpha must be > 0");
  CHECK_THROWS_WITH(make_zipf_keys(10, -1.0, 1), "key generator: power-law alpha must be > 0");
}

TEST_CASE("key traces replay in order, wrap around, and report their empirical distribution", "[workloads][keys]") {
  recsim::test::TempDir dir;
  const auto path = dir.write("keys.csv", "key\n# a comment\n5\n3\n5\n\n9\n5\n");
  TraceKeys keys(path, 10);
  CHECK(keys.length() == 5);
  Rng rng = make_stream(1, StreamId::keys);
  // Read once (the scenario parser does), every table replays the same copy with a cursor (and
  // rows) of its own; the copy's size is what the resource estimate counts (8 bytes a lookup, 80 a
  // distinct key). A trace of 2M keys read per table and GPU took 1.8 GB for 10 queries.
  const auto trace = load_key_trace(path);
  TraceKeys first(trace, 10), second(trace, 20);
  CHECK(&first.trace() == &second.trace());
  first.next(rng);
  CHECK(second.next(rng) == 5);
  CHECK(trace->bytes() == 5 * 8.0 + 3 * 80.0);
  std::vector<std::uint64_t> got;
  for (int i = 0; i < 7; ++i) got.push_back(keys.next(rng));
  CHECK(got == std::vector<std::uint64_t>{5, 3, 5, 9, 5, 5, 3});
  CHECK(keys.probability(5) == Approx(0.6));
  CHECK(keys.probability(3) == Approx(0.2));
  CHECK(keys.probability(0) == 0.0);
  CHECK(keys.key_of_rank(0) == 5);
  CHECK(keys.key_of_rank(1) == 3);  // ties: the smaller key first
  CHECK(keys.key_of_rank(2) == 9);
  CHECK(keys.key_of_rank(3) == 0);  // then the keys never looked up, in key order
  CHECK(keys.key_of_rank(4) == 1);
  CHECK(keys.key_of_rank(5) == 2);
  CHECK(keys.key_of_rank(6) == 4);
  for (std::uint64_t r = 0; r < 10; ++r) CHECK(keys.rank_of(keys.key_of_rank(r)) == r);

  auto error = [&](const std::string& text, std::uint64_t rows = 10) {
    try {
      TraceKeys bad(dir.write("bad.csv", text), rows);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string bad = dir.file("bad.csv");
  CHECK(error("1\n2,3\n") == bad + ":2: expected one key per line (an integer)");
  CHECK(error("1\nx\n") == bad + ":2: expected one key per line (an integer)");
  CHECK(error("1\n10\n") == bad + ":2: key 10 is outside the table's rows [0, 10)");
  CHECK(error("-1\n") == bad + ":1: key -1 is negative");
  CHECK(error("3\n12\n11\n12\n") == bad + ":2: key 12 is outside the table's rows [0, 10)");  // the largest, first seen
  CHECK(error("key\n") == bad + ": the key trace holds no key");
  CHECK(error("1e2\n3\n") == bad + ":1: expected one key per line (an integer)");  // not a header
  CHECK(error("+3\n") == bad + ":1: expected one key per line (an integer)");
  CHECK(error("key\nkey\n3\n") == bad + ":2: expected one key per line (an integer)");
  CHECK(error("\xEF\xBB\xBFkey\n3\n") == "no error");  // a byte-order mark is accepted
  CHECK_THROWS_AS(TraceKeys(dir.file("missing.csv"), 10), InputError);
}
