#include "workloads/key_generator.h"

#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <cmath>
#include <map>
#include <mutex>
#include <utility>
#include <stdexcept>

namespace recsim {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

class UniformKeys final : public KeyGenerator {
public:
  explicit UniformKeys(std::uint64_t rows) : dist_(0, rows - 1), rows_(rows) {}
  std::uint64_t next(Rng& rng) override { return dist_(rng); }
  double probability(std::uint64_t key) const override { return key < rows_ ? 1.0 / static_cast<double>(rows_) : 0.0; }
  std::uint64_t key_of_rank(std::uint64_t rank) const override { return rank; }
  std::uint64_t rank_of(std::uint64_t key) const override { return key; }
  std::uint64_t rows() const override { return rows_; }

private:
  boost::random::uniform_int_distribution<std::uint64_t> dist_;
  std::uint64_t rows_;
};

// Rejection-inversion sampling of Zipf ranks, after W. Hörmann and G. Derflinger, "Rejection-inversion
// to generate variates from monotone discrete distributions" (ACM TOMACS 6(3), 1996); the numerically
// careful helper functions follow Apache Commons RNG's RejectionInversionZipfSampler.
class ZipfKeys final : public KeyGenerator {
public:
  ZipfKeys(std::uint64_t rows, double alpha, std::uint64_t seed)
      : n_(rows), alpha_(alpha), permutation_(rows, seed), normaliser_(generalized_harmonic(rows, alpha)) {
    h_integral_x1_ = h_integral(1.5) - 1.0;
    h_integral_n_ = h_integral(static_cast<double>(n_) + 0.5);
    s_ = 2.0 - h_integral_inverse(h_integral(2.5) - h(2.0));
  }

  std::uint64_t next(Rng& rng) override { return permutation_(sample_rank(rng) - 1); }

  double probability(std::uint64_t key) const override {
    if (key >= n_) return 0.0;
    const double rank = static_cast<double>(permutation_.inverse(key) + 1);
    return std::pow(rank, -alpha_) / normaliser_;
  }
  std::uint64_t rows() const override { return n_; }
  std::uint64_t key_of_rank(std::uint64_t rank) const override { return permutation_(rank); }
  std::uint64_t rank_of(std::uint64_t key) const override { return permutation_.inverse(key); }

private:
  std::uint64_t sample_rank(Rng& rng) {
    boost::random::uniform_01<double> u01;
    for (;;) {
      const double u = h_integral_n_ + u01(rng) * (h_integral_x1_ - h_integral_n_);
      const double x = h_integral_inverse(u);
      double kd = std::floor(x + 0.5);
      if (kd < 1.0) kd = 1.0;
      if (kd > static_cast<double>(n_)) kd = static_cast<double>(n_);
      if (kd - x <= s_ || u >= h_integral(kd + 0.5) - h(kd)) return static_cast<std::uint64_t>(kd);
    }
  }

  double h(double x) const { return std::exp(-alpha_ * std::log(x)); }
  double h_integral(double x) const {
    const double log_x = std::log(x);
    return helper2((1.0 - alpha_) * log_x) * log_x;
  }
  double h_integral_inverse(double x) const {
    double t = x * (1.0 - alpha_);
    if (t < -1.0) t = -1.0;  // guards rounding when x is at the end of the range
    return std::exp(helper1(t) * x);
  }
  static double helper1(double x) {  // log1p(x)/x, continuous at 0
    return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
  }
  static double helper2(double x) {  // expm1(x)/x, continuous at 0
    return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x));
  }

  std::uint64_t n_;
  double alpha_;
  KeyPermutation permutation_;
  double normaliser_;
  double h_integral_x1_ = 0, h_integral_n_ = 0, s_ = 0;
};

}  // namespace

std::unique_ptr<KeyGenerator> make_uniform_keys(std::uint64_t rows) {
  if (rows == 0) throw std::invalid_argument("key generator: a table needs at least one row");
  return std::make_unique<UniformKeys>(rows);
}

std::unique_ptr<KeyGenerator> make_zipf_keys(std::uint64_t rows, double alpha, std::uint64_t permutation_seed) {
  if (rows == 0) throw std::invalid_argument("key generator: a table needs at least one row");
  if (!(alpha > 0.0) || !std::isfinite(alpha)) throw std::invalid_argument("key generator: power-law alpha must be > 0");
  return std::make_unique<ZipfKeys>(rows, alpha, permutation_seed);
}

namespace {

double harmonic_sum(std::uint64_t n, double alpha) {
  constexpr std::uint64_t exact_terms = 1'000'000;
  const std::uint64_t m = n < exact_terms ? n : exact_terms;
  double sum = 0.0;
  for (std::uint64_t r = m; r >= 1; --r) sum += std::pow(static_cast<double>(r), -alpha);  // small terms first
  if (n == m) return sum;
  // Euler–Maclaurin for sum_{r=m+1..n} f(r), f(x) = x^-alpha:
  // integral_m^n f + (f(n) - f(m))/2 + (f'(n) - f'(m))/12 - (f'''(n) - f'''(m))/720.
  const double a = static_cast<double>(m), b = static_cast<double>(n);
  const double integral = std::abs(alpha - 1.0) < 1e-12 ? std::log(b / a)
                                                        : (std::pow(b, 1.0 - alpha) - std::pow(a, 1.0 - alpha)) / (1.0 - alpha);
  auto f = [&](double x) { return std::pow(x, -alpha); };
  auto f1 = [&](double x) { return -alpha * std::pow(x, -alpha - 1.0); };
  auto f3 = [&](double x) { return -alpha * (alpha + 1.0) * (alpha + 2.0) * std::pow(x, -alpha - 3.0); };
  return sum + integral + (f(b) - f(a)) / 2.0 + (f1(b) - f1(a)) / 12.0 - (f3(b) - f3(a)) / 720.0;
}

}  // namespace

double generalized_harmonic(std::uint64_t n, double alpha) {
  // Up to a million terms each: remembered, since every GPU, update stream and Che model of a run
  // builds the same tables' generators (a pure function, so results do not depend on the memo).
  static std::mutex mutex;
  static std::map<std::pair<std::uint64_t, double>, double> known;
  const std::lock_guard<std::mutex> lock(mutex);
  const auto [it, fresh] = known.try_emplace({n, alpha}, 0.0);
  if (fresh) it->second = harmonic_sum(n, alpha);
  return it->second;
}

KeyPermutation::KeyPermutation(std::uint64_t n, std::uint64_t seed) : n_(n) {
  int bits = 2;
  while (bits < 64 && (std::uint64_t{1} << bits) < n) bits += 2;
  half_bits_ = bits / 2;
  mask_ = (std::uint64_t{1} << half_bits_) - 1;
  std::uint64_t s = seed;
  for (auto& k : keys_) k = s = splitmix64(s);
}

std::uint64_t KeyPermutation::round(std::uint64_t half, int i) const { return splitmix64(half ^ keys_[i]) & mask_; }

std::uint64_t KeyPermutation::encrypt(std::uint64_t x) const {
  std::uint64_t left = x >> half_bits_, right = x & mask_;
  for (int i = 0; i < 4; ++i) {
    const std::uint64_t next = left ^ round(right, i);
    left = right;
    right = next;
  }
  return (left << half_bits_) | right;
}

std::uint64_t KeyPermutation::decrypt(std::uint64_t y) const {
  std::uint64_t left = y >> half_bits_, right = y & mask_;
  for (int i = 3; i >= 0; --i) {
    const std::uint64_t prev = right ^ round(left, i);
    right = left;
    left = prev;
  }
  return (left << half_bits_) | right;
}

// Cycle walking: a Feistel network permutes [0, 4^half_bits); repeating it from a point inside
// [0, n) until the image lands inside again yields a permutation of [0, n). Since 4^half_bits < 4n
// the expected walk is under four steps.
std::uint64_t KeyPermutation::operator()(std::uint64_t x) const {
  std::uint64_t y = encrypt(x);
  while (y >= n_) y = encrypt(y);
  return y;
}

std::uint64_t KeyPermutation::inverse(std::uint64_t y) const {
  std::uint64_t x = decrypt(y);
  while (x >= n_) x = decrypt(x);
  return x;
}

}  // namespace recsim
