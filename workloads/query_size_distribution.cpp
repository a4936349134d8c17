#include "workloads/query_size_distribution.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

int round_and_clip(double x, int max) {
  if (!(x >= 1.0)) return 1;  // also catches NaN
  if (x >= max) return max;
  return std::clamp(static_cast<int>(std::lround(x)), 1, max);
}

double standard_normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Mean of round_and_clip(X) for a continuous X: sum of P(X rounds to k) * k, exactly for k below
// kExactSizes and, beyond, by `partial_mean(a, b)` = E[X; a < X <= b] (the sum's midpoint-rule
// integral, exact to far below a size's width), so the cost does not grow with `max` (1e9 allowed).
// The sum stops as soon as the rest of the distribution is below double precision.
constexpr int kExactSizes = 1 << 16;
template <typename Cdf, typename PartialMean>
double clipped_rounded_mean(Cdf cdf, PartialMean partial_mean, int max) {
  double mean = 0.0;
  double below = 0.0;  // P(X < 1.5) goes to size 1
  int k = 1;
  for (; k < max && k < kExactSizes; ++k) {
    const double upper = cdf(k + 0.5);
    mean += k * (upper - below);
    below = upper;
    if (1.0 - below < 1e-17) return mean;  // nothing left to reach larger sizes
  }
  if (k < max) {
    mean += partial_mean(k - 0.5, max - 0.5);
    below = cdf(max - 0.5);
  }
  mean += max * (1.0 - below);
  return mean;
}

// E[f(round_and_clip(X))] the same way: term by term below kExactSizes, then the tail below max as
// its probability times f at its conditional mean, then the clipped mass at max.
template <typename Cdf, typename PartialMean>
double clipped_rounded_expectation(Cdf cdf, PartialMean partial_mean, int max, const std::function<double(int)>& f) {
  double sum = 0.0;
  double below = 0.0;
  int k = 1;
  for (; k < max && k < kExactSizes; ++k) {
    const double upper = cdf(k + 0.5);
    if (upper > below) sum += f(k) * (upper - below);
    below = upper;
    if (1.0 - below < 1e-17) return sum;
  }
  if (k < max) {
    const double mass = cdf(max - 0.5) - below;
    if (mass > 0) {
      const double mean = partial_mean(k - 0.5, max - 0.5) / mass;
      sum += mass * f(std::clamp(static_cast<int>(std::lround(mean)), k, max));
    }
    below = cdf(max - 0.5);
  }
  return sum + f(max) * (1.0 - below);
}

// The normal's and the lognormal's cdf and E[X; a < X <= b], for the two sums above.
auto normal_cdf(double m, double sd) {
  return [m, sd](double x) { return standard_normal_cdf((x - m) / sd); };
}
auto normal_partial_mean(double m, double sd) {
  return [m, sd](double a, double b) {
    const double za = (a - m) / sd, zb = (b - m) / sd;
    const auto pdf = [](double z) { return std::exp(-0.5 * z * z) / std::sqrt(2.0 * M_PI); };
    return m * (standard_normal_cdf(zb) - standard_normal_cdf(za)) - sd * (pdf(zb) - pdf(za));
  };
}
auto lognormal_cdf(double mu, double sigma) {
  return [mu, sigma](double x) { return standard_normal_cdf((std::log(x) - mu) / sigma); };
}
auto lognormal_partial_mean(double mu, double sigma) {
  return [mu, sigma](double a, double b) {
    const double s2 = sigma * sigma;
    return std::exp(mu + s2 / 2) *
           (standard_normal_cdf((std::log(b) - mu - s2) / sigma) - standard_normal_cdf((std::log(a) - mu - s2) / sigma));
  };
}

class FixedSizes final : public QuerySizeDistribution {
 public:
  explicit FixedSizes(int value) : value_(value) {}
  int sample(Rng&) override { return value_; }
  double mean() const override { return value_; }
  double expectation(const std::function<double(int)>& f) const override { return f(value_); }

 private:
  int value_;
};

class NormalSizes final : public QuerySizeDistribution {
 public:
  NormalSizes(double mean, double sd, int max) : dist_(mean, sd), max_(max) {
    mean_ = sd == 0.0 ? round_and_clip(mean, max) : clipped_rounded_mean(normal_cdf(mean, sd), normal_partial_mean(mean, sd), max);
  }
  int sample(Rng& rng) override { return round_and_clip(dist_(rng), max_); }
  double mean() const override { return mean_; }
  double expectation(const std::function<double(int)>& f) const override {
    const double m = dist_.mean(), sd = dist_.sigma();
    if (sd == 0.0) return f(round_and_clip(m, max_));
    return clipped_rounded_expectation(normal_cdf(m, sd), normal_partial_mean(m, sd), max_, f);
  }

 private:
  boost::random::normal_distribution<double> dist_;
  int max_;
  double mean_;
};

class LognormalSizes final : public QuerySizeDistribution {
 public:
  LognormalSizes(double mu, double sigma, int max) : mu_(mu), sigma_(sigma), dist_(mu, sigma), max_(max) {
    mean_ = sigma == 0.0 ? round_and_clip(std::exp(mu), max)
                         : clipped_rounded_mean(lognormal_cdf(mu, sigma), lognormal_partial_mean(mu, sigma), max);
  }
  int sample(Rng& rng) override { return round_and_clip(dist_(rng), max_); }
  double mean() const override { return mean_; }
  double expectation(const std::function<double(int)>& f) const override {
    if (sigma_ == 0.0) return f(round_and_clip(std::exp(mu_), max_));
    return clipped_rounded_expectation(lognormal_cdf(mu_, sigma_), lognormal_partial_mean(mu_, sigma_), max_, f);
  }

 private:
  double mu_, sigma_;
  boost::random::lognormal_distribution<double> dist_;
  int max_;
  double mean_;
};

class EmpiricalSizes final : public QuerySizeDistribution {
 public:
  explicit EmpiricalSizes(const std::vector<std::pair<int, double>>& table) {
    std::vector<double> weights;
    double total = 0.0, weighted = 0.0;
    for (const auto& [size, weight] : table) {
      sizes_.push_back(size);
      weights.push_back(weight);
      total += weight;
      weighted += size * weight;
    }
    dist_ = boost::random::discrete_distribution<int, double>(weights.begin(), weights.end());
    mean_ = weighted / total;
  }
  int sample(Rng& rng) override { return sizes_[static_cast<std::size_t>(dist_(rng))]; }
  double mean() const override { return mean_; }
  double expectation(const std::function<double(int)>& f) const override {
    const std::vector<double> p = dist_.probabilities();
    double sum = 0.0;
    for (std::size_t i = 0; i < sizes_.size(); ++i) sum += p[i] * f(sizes_[i]);
    return sum;
  }

 private:
  std::vector<int> sizes_;
  boost::random::discrete_distribution<int, double> dist_;
  double mean_ = 0.0;
};

}  // namespace

std::unique_ptr<QuerySizeDistribution> make_fixed_sizes(int value) {
  return std::make_unique<FixedSizes>(value);
}
std::unique_ptr<QuerySizeDistribution> make_normal_sizes(double mean, double sd, int max) {
  return std::make_unique<NormalSizes>(mean, sd, max);
}
std::unique_ptr<QuerySizeDistribution> make_lognormal_sizes(double mu, double sigma, int max) {
  return std::make_unique<LognormalSizes>(mu, sigma, max);
}
double lognormal_sigma_for_top_quarter_share(double share) {
  // Of a lognormal's total mass, values above its p-quantile hold 1 - Phi(Phi^-1(p) - sigma);
  // at p = 0.75 that share is `share` when sigma = Phi^-1(0.75) + Phi^-1(share).
  const boost::math::normal unit;
  return boost::math::quantile(unit, 0.75) + boost::math::quantile(unit, share);
}

std::unique_ptr<QuerySizeDistribution> make_empirical_sizes(
    const std::vector<std::pair<int, double>>& size_weights) {
  return std::make_unique<EmpiricalSizes>(size_weights);
}

}  // namespace recsim
