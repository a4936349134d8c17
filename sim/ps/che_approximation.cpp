#include "sim/ps/che_approximation.h"

#include "workloads/key_generator.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace recsim {
namespace {

constexpr std::uint64_t kExactRanks = 1u << 16;
constexpr int kTailIntervals = 2000;

// The probabilities of the ranks, for sums over all of them: the first 2^16 exactly, the rest as
// Simpson nodes over log-spaced rank intervals with their weights (rank r = e^u, dr = r du, so the
// sum of f(p_r) over ranks exact+1 .. n is the integral of f(p(e^u)) e^u du from ln(exact + 0.5) to
// ln(n + 0.5), the midpoint rule's continuum).
struct RankSums {
  std::vector<double> p, weight;
  RankSums(const KeyPopularity& k) {
    if (k.alpha == 0.0) {
      p.push_back(1.0 / static_cast<double>(k.rows));
      weight.push_back(static_cast<double>(k.rows));
      return;
    }
    const double norm = generalized_harmonic(k.rows, k.alpha);
    const std::uint64_t exact = std::min(k.rows, kExactRanks);
    for (std::uint64_t r = 1; r <= exact; ++r) {
      p.push_back(std::pow(static_cast<double>(r), -k.alpha) / norm);
      weight.push_back(1.0);
    }
    if (k.rows <= exact) return;
    const double lo = std::log(static_cast<double>(exact) + 0.5), hi = std::log(static_cast<double>(k.rows) + 0.5);
    const double h = (hi - lo) / kTailIntervals;
    for (int i = 0; i <= 2 * kTailIntervals; ++i) {
      const double u = lo + i * h / 2, r = std::exp(u);
      const double simpson = (i == 0 || i == 2 * kTailIntervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
      p.push_back(std::pow(r, -k.alpha) / norm);
      weight.push_back(h / 6.0 * simpson * r);
    }
  }
  template <class F>
  double sum(F f) const {
    double s = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) s += weight[i] * f(p[i]);
    return s;
  }
};

}  // namespace

CheEstimate che_hit_rate(const KeyPopularity& k, double cache_entries, double batch_keys) {
  if (k.rows == 0 || k.alpha < 0.0 || !(cache_entries > 0.0) || !(batch_keys >= 1.0))
    throw std::invalid_argument("che_hit_rate: rows >= 1, alpha >= 0, cache > 0, batch >= 1");
  CheEstimate e;
  if (cache_entries >= static_cast<double>(k.rows)) {  // everything fits: only cold misses
    e.characteristic_lookups = INFINITY;
    e.hit_rate = e.unique_hit_rate = 1.0;
    return e;
  }
  const RankSums ranks(k);
  const auto occupancy = [&](double t) { return ranks.sum([t](double p) { return -std::expm1(-p * t); }); };
  // Bisection on log T: the occupancy rises from 0 to n with T.
  // (Bounded: a cache a hair smaller than the table may never be filled in floating point.)
  double lo = 1.0, hi = 1.0;
  for (int i = 0; i < 200 && occupancy(hi) < cache_entries; ++i) hi *= 4.0;
  for (int i = 0; i < 200 && occupancy(lo) > cache_entries; ++i) lo /= 4.0;
  for (int i = 0; i < 200 && hi / lo > 1.0 + 1e-9; ++i) {
    const double mid = std::sqrt(lo * hi);
    (occupancy(mid) < cache_entries ? lo : hi) = mid;
  }
  const double t = std::sqrt(lo * hi);
  e.characteristic_lookups = t;
  e.hit_rate = ranks.sum([t](double p) { return p * -std::expm1(-p * t); });
  const double b = batch_keys;
  const double unique_hits = ranks.sum([t, b](double p) { return -std::expm1(-b * p) * -std::expm1(-p * t); });
  const double unique = ranks.sum([b](double p) { return -std::expm1(-b * p); });
  e.unique_hit_rate = unique_hits / unique;
  return e;
}

}  // namespace recsim
