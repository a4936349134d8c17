#include "workloads/cumulative_rate.h"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {
namespace {

constexpr double kTwoPi = 6.283185307179586476925286766559;

class SinusoidRate final : public CumulativeRate {
 public:
  SinusoidRate(double period, double ratio, double peak_at)
      : w_(kTwoPi / period), a_((ratio - 1.0) / (ratio + 1.0)), peak_(peak_at), offset_(std::sin(-w_ * peak_at)) {}

  double time_at(double s) override {
    // Newton's method from the last answer, kept inside [lo, hi]: S grows at least at 1 - a.
    double lo = last_, hi = last_ + std::max(0.0, s - cumulative(last_)) / (1.0 - a_);
    double t = lo;
    for (int i = 0; i < 100; ++i) {
      const double f = cumulative(t) - s;
      if (std::abs(f) <= 1e-12 * std::max(1.0, s)) break;
      if (f < 0) lo = t; else hi = t;
      double next = t - f / rate(t);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      t = next;
    }
    last_ = t;
    return t;
  }

 private:
  double rate(double t) const { return 1.0 + a_ * std::cos(w_ * (t - peak_)); }
  double cumulative(double t) const { return t + a_ / w_ * (std::sin(w_ * (t - peak_)) - offset_); }
  double w_, a_, peak_, offset_;
  double last_ = 0.0;
};

class TableRate final : public CumulativeRate {
 public:
  explicit TableRate(std::vector<std::pair<double, double>> points) : points_(std::move(points)) {
    if (points_.size() < 2 || points_.front().first != 0.0) throw std::invalid_argument("a rate table needs points from t = 0");
    period_ = points_.back().first;
    double area = 0.0;
    cum_.push_back(0.0);
    for (std::size_t i = 1; i < points_.size(); ++i) {
      area += 0.5 * (points_[i - 1].second + points_[i].second) * (points_[i].first - points_[i - 1].first);
      cum_.push_back(area);
    }
    if (!(area > 0.0) || !(period_ > 0.0)) throw std::invalid_argument("a rate table needs a positive mean rate");
    const double scale = period_ / area;  // normalised: mean 1 over the period
    for (auto& p : points_) p.second *= scale;
    for (auto& c : cum_) c *= scale;
  }

  double time_at(double s) override {
    const double periods = std::floor(s / period_);
    double rem = s - periods * period_;
    // The segment whose cumulative range holds rem (segments of zero rate are skipped).
    auto it = std::upper_bound(cum_.begin(), cum_.end(), rem);
    std::size_t j = it == cum_.begin() ? 0 : static_cast<std::size_t>(it - cum_.begin()) - 1;
    if (j + 1 >= points_.size()) j = points_.size() - 2;
    const double d = rem - cum_[j];
    const double len = points_[j + 1].first - points_[j].first;
    const double r0 = points_[j].second, slope = (points_[j + 1].second - r0) / len;
    // r0 x + slope x^2 / 2 = d, solved stably.
    const double disc = std::max(0.0, r0 * r0 + 2.0 * slope * d);
    const double x = d > 0.0 ? 2.0 * d / (r0 + std::sqrt(disc)) : 0.0;
    return periods * period_ + points_[j].first + std::min(len, x);
  }

 private:
  std::vector<std::pair<double, double>> points_;
  std::vector<double> cum_;
  double period_ = 0.0;
};

class BurstRate final : public CumulativeRate {
 public:
  BurstRate(double factor, double burst_s, double bursts_per_s, Rng rng)
      : factor_(factor), burst_s_(burst_s), bursts_per_s_(bursts_per_s), rng_(std::move(rng)) {
    const double p = bursts_per_s * burst_s / (1.0 + bursts_per_s * burst_s);  // the long-run share of time in bursts
    base_ = 1.0 / (1.0 - p + factor * p);
    // Start in the stationary state.
    in_burst_ = boost::random::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
    end_t_ = duration();
    end_s_ = end_t_ * current_rate();
  }

  double time_at(double s) override {
    while (s > end_s_) {
      start_t_ = end_t_;
      start_s_ = end_s_;
      in_burst_ = !in_burst_;
      end_t_ = start_t_ + duration();
      end_s_ = start_s_ + (end_t_ - start_t_) * current_rate();
    }
    return start_t_ + (s - start_s_) / current_rate();
  }

 private:
  double current_rate() const { return in_burst_ ? base_ * factor_ : base_; }
  double duration() { return boost::random::exponential_distribution<double>(in_burst_ ? 1.0 / burst_s_ : bursts_per_s_)(rng_); }
  double factor_, burst_s_, bursts_per_s_;
  Rng rng_;
  double base_ = 1.0;
  bool in_burst_ = false;
  double start_t_ = 0.0, start_s_ = 0.0, end_t_ = 0.0, end_s_ = 0.0;
};

}  // namespace

std::unique_ptr<CumulativeRate> make_sinusoid_rate(double period_s, double peak_to_trough, double peak_at_s) {
  if (!(peak_to_trough >= 1.0) || !(period_s > 0.0)) throw std::invalid_argument("a sinusoid needs peak_to_trough >= 1 and a positive period");
  return std::make_unique<SinusoidRate>(period_s, peak_to_trough, peak_at_s);
}

std::unique_ptr<CumulativeRate> make_table_rate(std::vector<std::pair<double, double>> points) {
  return std::make_unique<TableRate>(std::move(points));
}

std::unique_ptr<CumulativeRate> make_burst_rate(double burst_factor, double burst_s, double bursts_per_s, Rng rng) {
  return std::make_unique<BurstRate>(burst_factor, burst_s, bursts_per_s, std::move(rng));
}

}  // namespace recsim
