#include "sim/ps/che_approximation.h"

#include "workloads/key_generator.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace recsim {
namespace {

constexpr std::uint64_t kExactRanks = 1u << 16;
constexpr int kTailIntervals = 2000;

}  // namespace

// The probabilities of the ranks, for sums over all of them: the first 2^16 exactly, the rest as
// Simpson nodes over log-spaced rank intervals with their weights (rank r = e^u, dr = r du, so the
// sum of f(p_r) over ranks exact+1 .. n is the integral of f(p(e^u)) e^u du from ln(exact + 0.5) to
// ln(n + 0.5), the midpoint rule's continuum).
struct RankSums {
  std::vector<double> p, weight, rank;  // rank: 0-based (continuous in the tail)
  RankSums(const RankPopularity& k) {
    if (k.alpha == 0.0) {
      p.push_back(1.0 / static_cast<double>(k.rows));
      weight.push_back(static_cast<double>(k.rows));
      rank.push_back(0.0);
      return;
    }
    const double norm = generalized_harmonic(k.rows, k.alpha);
    const std::uint64_t exact = std::min(k.rows, kExactRanks);
    for (std::uint64_t r = 1; r <= exact; ++r) {
      p.push_back(std::pow(static_cast<double>(r), -k.alpha) / norm);
      weight.push_back(1.0);
      rank.push_back(static_cast<double>(r - 1));
    }
    if (k.rows <= exact) return;
    const double lo = std::log(static_cast<double>(exact) + 0.5), hi = std::log(static_cast<double>(k.rows) + 0.5);
    const double h = (hi - lo) / kTailIntervals;
    for (int i = 0; i <= 2 * kTailIntervals; ++i) {
      const double u = lo + i * h / 2, r = std::exp(u);
      const double simpson = (i == 0 || i == 2 * kTailIntervals) ? 1.0 : (i % 2 ? 4.0 : 2.0);
      p.push_back(std::pow(r, -k.alpha) / norm);
      weight.push_back(h / 6.0 * simpson * r);
      rank.push_back(r - 1.0);
    }
  }
  template <class F>
  double sum(F f) const {
    double s = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) s += weight[i] * f(p[i]);
    return s;
  }
};

namespace {

// T for a cache of `cache_entries` (infinite when everything fits).
double characteristic_time(const RankSums& ranks, const RankPopularity& k, double cache_entries) {
  if (cache_entries >= static_cast<double>(k.rows)) return INFINITY;
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
  return std::sqrt(lo * hi);
}

void check_arguments(const RankPopularity& k, double cache_entries, double batch_keys) {
  if (k.rows == 0 || k.alpha < 0.0 || !(cache_entries > 0.0) || !(batch_keys >= 1.0))
    throw std::invalid_argument("che_hit_rate: rows >= 1, alpha >= 0, cache > 0, batch >= 1");
}

}  // namespace

CheEstimate che_hit_rate(const RankPopularity& k, double cache_entries, double batch_keys) {
  check_arguments(k, cache_entries, batch_keys);
  CheEstimate e;
  const RankSums ranks(k);
  const double t = characteristic_time(ranks, k, cache_entries);
  e.characteristic_lookups = t;
  if (std::isinf(t)) {  // everything fits: only cold misses
    e.hit_rate = e.unique_hit_rate = 1.0;
    return e;
  }
  e.hit_rate = ranks.sum([t](double p) { return p * -std::expm1(-p * t); });
  const double b = batch_keys;
  const double unique_hits = ranks.sum([t, b](double p) { return -std::expm1(-b * p) * -std::expm1(-p * t); });
  const double unique = ranks.sum([b](double p) { return -std::expm1(-b * p); });
  e.unique_hit_rate = unique_hits / unique;
  return e;
}

CheModel::CheModel(const RankPopularity& keys, double cache_entries, std::vector<double> rank_cutoffs)
    : keys_(keys), cutoffs_(std::move(rank_cutoffs)) {
  check_arguments(keys, cache_entries, 1.0);
  if (!std::is_sorted(cutoffs_.begin(), cutoffs_.end())) throw std::invalid_argument("CheModel: rank cutoffs must increase");
  ranks_ = std::make_shared<const RankSums>(keys);
  t_ = characteristic_time(*ranks_, keys, cache_entries);
  // The share of the cache's keys in each rank range.
  cached_share_ = split([this](double p) { return std::isinf(t_) ? 1.0 : -std::expm1(-p * t_); });
}

std::size_t CheModel::range_of(double rank) const {
  return static_cast<std::size_t>(std::upper_bound(cutoffs_.begin(), cutoffs_.end(), rank) - cutoffs_.begin());
}

std::vector<double> CheModel::split(const std::function<double(double)>& f) const {
  std::vector<double> mass(cutoffs_.size() + 1, 0.0);
  if (keys_.alpha == 0.0) {  // every rank alike: in proportion to the ranges' lengths
    const double n = static_cast<double>(keys_.rows);
    double previous = 0.0;
    for (std::size_t i = 0; i <= cutoffs_.size(); ++i) {
      const double end = i < cutoffs_.size() ? std::min(cutoffs_[i], n) : n;
      mass[i] = std::max(0.0, end - previous);
      previous = std::max(previous, end);
    }
    const double one = f(1.0 / n);
    for (auto& m : mass) m *= one;
  } else {
    const RankSums& ranks = *ranks_;
    for (std::size_t i = 0; i < ranks.p.size(); ++i) mass[range_of(ranks.rank[i])] += ranks.weight[i] * f(ranks.p[i]);
  }
  double total = 0.0;
  for (const double m : mass) total += m;
  for (auto& m : mass) m = total > 0.0 ? m / total : 0.0;
  return mass;
}

CheModel::Batch CheModel::batch(double batch_keys) const {
  if (!(batch_keys >= 1.0)) throw std::invalid_argument("CheModel: batch >= 1");
  Batch b;
  const double t = t_, n = batch_keys;
  const auto in_batch = [n](double p) { return -std::expm1(-n * p); };
  const auto hit = [t](double p) { return std::isinf(t) ? 1.0 : -std::expm1(-p * t); };
  if (keys_.alpha == 0.0) {
    const double p = 1.0 / static_cast<double>(keys_.rows);
    b.unique = static_cast<double>(keys_.rows) * in_batch(p);
    b.hit_rate = hit(p);
  } else {
    const RankSums& r = *ranks_;
    b.unique = r.sum(in_batch);
    b.hit_rate = r.sum([&](double p) { return in_batch(p) * hit(p); }) / b.unique;
  }
  b.miss_share = split([&](double p) { return in_batch(p) * (1.0 - hit(p)); });
  return b;
}

}  // namespace recsim
