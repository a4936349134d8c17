#include "workloads/query_size_distribution.h"

#include <boost/math/distributions/normal.hpp>
#include <boost/random/discrete_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <deque>
#include <mutex>
#include <tuple>

namespace recsim {
namespace {

int round_and_clip(double x, int max) {
  if (!(x >= 1.0)) return 1;  // also catches NaN
  if (x >= max) return max;
  return std::clamp(static_cast<int>(std::lround(x)), 1, max);
}

double standard_normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// The distribution of round_and_clip(X) for a continuous X: P(X rounds to k) exactly for k below
// kExactSizes and, beyond, the tail below `max` by its mass and `partial_mean(a, b)` = E[X; a < X <=
// b] (the sum's midpoint-rule integral, exact to far below a size's width), so the cost does not
// grow with `max` (1e9 allowed); the rest is the clipped mass at max. The sizes stop as soon as the
// rest of the distribution is below double precision. Computed once per distribution (and kept for
// the last few parameters in the process: a sweep parses the same sizes once per point), then every
// mean and expectation is a sum over it, term by term in the same order as computing it afresh.
constexpr int kExactSizes = 1 << 16;
struct RoundedSizes {
  std::vector<double> mass;  // P(size = k) at index k - 1
  bool complete = false;     // nothing left beyond the last mass
  double below = 0.0;        // P(X < the last size + 0.5)
  bool tail = false;         // sizes from mass.size() + 1 to max - 1 as one continuous tail
  double tail_partial_mean = 0.0, cdf_at_max = 0.0;
};
template <typename Cdf, typename PartialMean>
RoundedSizes rounded_sizes(Cdf cdf, PartialMean partial_mean, int max) {
  RoundedSizes r;
  int k = 1;
  for (; k < max && k < kExactSizes; ++k) {
    const double upper = cdf(k + 0.5);
    r.mass.push_back(upper - r.below);
    r.below = upper;
    if (1.0 - r.below < 1e-17) {  // nothing left to reach larger sizes
      r.complete = true;
      return r;
    }
  }
  if (k < max) {
    r.tail = true;
    r.tail_partial_mean = partial_mean(k - 0.5, max - 0.5);
    r.cdf_at_max = cdf(max - 0.5);
  }
  return r;
}

// Mean of the sizes: sum of P(size = k) * k, the tail's partial mean, the clipped mass times max.
double clipped_rounded_mean(const RoundedSizes& r, int max) {
  double mean = 0.0;
  for (std::size_t i = 0; i < r.mass.size(); ++i) mean += static_cast<int>(i + 1) * r.mass[i];
  if (r.complete) return mean;
  double below = r.below;
  if (r.tail) {
    mean += r.tail_partial_mean;
    below = r.cdf_at_max;
  }
  return mean + max * (1.0 - below);
}

// E[f(size)] the same way: term by term below kExactSizes, then the tail below max as its
// probability times f at its conditional mean, then the clipped mass at max.
double clipped_rounded_expectation(const RoundedSizes& r, int max, const std::function<double(int)>& f) {
  double sum = 0.0;
  for (std::size_t i = 0; i < r.mass.size(); ++i)
    if (r.mass[i] > 0) sum += f(static_cast<int>(i + 1)) * r.mass[i];
  if (r.complete) return sum;
  double below = r.below;
  if (r.tail) {
    const double mass = r.cdf_at_max - r.below;
    if (mass > 0) {
      const int first = static_cast<int>(r.mass.size()) + 1;
      const double mean = r.tail_partial_mean / mass;
      sum += mass * f(std::clamp(static_cast<int>(std::lround(mean)), first, max));
    }
    below = r.cdf_at_max;
  }
  return sum + f(max) * (1.0 - below);
}

// The last few rounded distributions made in this process, by family and parameters.
std::shared_ptr<const RoundedSizes> shared_rounded_sizes(char family, double a, double b, int max,
                                                        const std::function<RoundedSizes()>& make) {
  using Key = std::tuple<char, double, double, int>;
  static std::mutex mutex;
  static std::deque<std::pair<Key, std::shared_ptr<const RoundedSizes>>> recent;
  const Key key{family, a, b, max};
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& [k, sizes] : recent)
      if (k == key) return sizes;
  }
  auto sizes = std::make_shared<const RoundedSizes>(make());
  std::lock_guard<std::mutex> lock(mutex);
  recent.emplace_front(key, sizes);
  if (recent.size() > 16) recent.pop_back();
  return sizes;
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
    if (sd == 0.0) {
      mean_ = round_and_clip(mean, max);
      return;
    }
    sizes_ = shared_rounded_sizes('n', mean, sd, max, [&] { return rounded_sizes(normal_cdf(mean, sd), normal_partial_mean(mean, sd), max); });
    mean_ = clipped_rounded_mean(*sizes_, max);
  }
  int sample(Rng& rng) override { return round_and_clip(dist_(rng), max_); }
  double mean() const override { return mean_; }
  double expectation(const std::function<double(int)>& f) const override {
    if (!sizes_) return f(round_and_clip(dist_.mean(), max_));
    return clipped_rounded_expectation(*sizes_, max_, f);
  }

 private:
  boost::random::normal_distribution<double> dist_;
  int max_;
  std::shared_ptr<const RoundedSizes> sizes_;  // null when sd is 0
  double mean_;
};

class LognormalSizes final : public QuerySizeDistribution {
 public:
  LognormalSizes(double mu, double sigma, int max) : mu_(mu), dist_(mu, sigma), max_(max) {
    if (sigma == 0.0) {
      mean_ = round_and_clip(std::exp(mu), max);
      return;
    }
    sizes_ = shared_rounded_sizes('l', mu, sigma, max,
                                  [&] { return rounded_sizes(lognormal_cdf(mu, sigma), lognormal_partial_mean(mu, sigma), max); });
    mean_ = clipped_rounded_mean(*sizes_, max);
  }
  int sample(Rng& rng) override { return round_and_clip(dist_(rng), max_); }
  double mean() const override { return mean_; }
  double expectation(const std::function<double(int)>& f) const override {
    if (!sizes_) return f(round_and_clip(std::exp(mu_), max_));
    return clipped_rounded_expectation(*sizes_, max_, f);
  }

 private:
  double mu_;
  boost::random::lognormal_distribution<double> dist_;
  int max_;
  std::shared_ptr<const RoundedSizes> sizes_;  // null when sigma is 0
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
