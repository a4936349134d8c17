#pragma once
// Embedding-key generators: which row of a table each lookup touches. Two popularity models:
// uniform over the rows, and a power law (Zipf) where the key of popularity rank r (1-based) is
// drawn with probability r^-alpha / H(n, alpha). Zipf ranks are drawn exactly by rejection-inversion
// (Hörmann & Derflinger 1996), O(1) per key and no table of size n, so tables of a billion rows
// cost nothing to set up. Ranks are then scattered over the table by a seeded bijection, so the hot
// rows are not the first rows of the table (which would flatter any cache keyed on row ranges).
#include "workloads/random_stream.h"

#include <cstdint>
#include <memory>

namespace recsim {

class KeyGenerator {
public:
  virtual ~KeyGenerator() = default;
  // One key in [0, rows()).
  virtual std::uint64_t next(Rng& rng) = 0;
  // Probability that next() returns `key` (exact, for tests and analytic hit-rate estimates).
  virtual double probability(std::uint64_t key) const = 0;
  // The key of popularity rank `rank` (0: the most popular; uniform keys: the key itself).
  virtual std::uint64_t key_of_rank(std::uint64_t rank) const = 0;
  // The popularity rank of `key`: key_of_rank's inverse (which tier of a parameter server holds it).
  virtual std::uint64_t rank_of(std::uint64_t key) const = 0;
  virtual std::uint64_t rows() const = 0;
};

std::unique_ptr<KeyGenerator> make_uniform_keys(std::uint64_t rows);
// alpha > 0; permutation_seed selects the rank→row scattering (same seed, same scattering).
std::unique_ptr<KeyGenerator> make_zipf_keys(std::uint64_t rows, double alpha, std::uint64_t permutation_seed);

// H(n, alpha) = sum_{r=1..n} r^-alpha: summed exactly up to 10^6 terms, beyond that the tail is
// added by Euler–Maclaurin (relative error below 1e-12 for the alphas used here). Remembered per
// (n, alpha) for the life of the process.
double generalized_harmonic(std::uint64_t n, double alpha);

// A seeded bijection of [0, n): a 4-round Feistel network over the smallest even number of bits
// that covers n, with cycle walking to stay inside the domain.
class KeyPermutation {
public:
  KeyPermutation(std::uint64_t n, std::uint64_t seed);
  std::uint64_t operator()(std::uint64_t x) const;
  std::uint64_t inverse(std::uint64_t y) const;

private:
  std::uint64_t round(std::uint64_t half, int i) const;
  std::uint64_t encrypt(std::uint64_t x) const;
  std::uint64_t decrypt(std::uint64_t y) const;
  std::uint64_t n_;
  int half_bits_;
  std::uint64_t mask_;
  std::uint64_t keys_[4];
};

}  // namespace recsim
