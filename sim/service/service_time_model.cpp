#include "sim/service/service_time_model.h"

#include <boost/random/exponential_distribution.hpp>

#include <algorithm>

namespace recsim {
namespace {

class ExponentialService final : public ServiceTimeModel {
 public:
  explicit ExponentialService(double mean) : mean_(mean) {}
  double sample_seconds(int, Rng& rng) const override {
    boost::random::exponential_distribution<double> unit(1.0);
    return mean_ * unit(rng);
  }
  double mean_seconds(int) const override { return mean_; }

 private:
  double mean_;
};

class DeterministicService final : public ServiceTimeModel {
 public:
  explicit DeterministicService(double seconds) : seconds_(seconds) {}
  double sample_seconds(int, Rng&) const override { return seconds_; }
  double mean_seconds(int) const override { return seconds_; }

 private:
  double seconds_;
};

class TableService final : public ServiceTimeModel {
 public:
  explicit TableService(LatencyCurve curve) : curve_(std::move(curve)) {}
  double sample_seconds(int items, Rng&) const override { return curve_.seconds_at(items); }
  double mean_seconds(int items) const override { return curve_.seconds_at(items); }

 private:
  LatencyCurve curve_;
};

class ProfiledService final : public ServiceTimeModel {
 public:
  ProfiledService(LatencyCurve alone, std::optional<LatencyCurve> all_busy, std::optional<LatencyCurve> after_idle)
      : alone_(std::move(alone)), all_busy_(std::move(all_busy)), after_idle_(std::move(after_idle)) {}
  double sample_seconds(int items, Rng&) const override { return alone_.seconds_at(items); }
  double mean_seconds(int items) const override { return alone_.seconds_at(items); }
  double contention_factor(int items, double others_busy) const override {
    if (!all_busy_ || others_busy <= 0.0) return 1.0;
    // Measured all-busy / alone ratios a little below 1 are measurement noise: contention never
    // makes a request faster.
    const double ratio = std::max(1.0, all_busy_->seconds_at(items) / alone_.seconds_at(items));
    return 1.0 + (ratio - 1.0) * others_busy;
  }
  bool contended() const override { return all_busy_.has_value(); }
  double after_idle_factor(int items) const override {
    // Below 1 is measurement noise, as for contention.
    return after_idle_ ? std::max(1.0, after_idle_->seconds_at(items) / alone_.seconds_at(items)) : 1.0;
  }

 private:
  LatencyCurve alone_;
  std::optional<LatencyCurve> all_busy_;
  std::optional<LatencyCurve> after_idle_;
};

}  // namespace

std::unique_ptr<ServiceTimeModel> make_profiled_service(LatencyCurve alone, std::optional<LatencyCurve> all_busy,
                                                        std::optional<LatencyCurve> after_idle) {
  return std::make_unique<ProfiledService>(std::move(alone), std::move(all_busy), std::move(after_idle));
}

std::unique_ptr<ServiceTimeModel> make_exponential_service(double mean_seconds) {
  return std::make_unique<ExponentialService>(mean_seconds);
}
std::unique_ptr<ServiceTimeModel> make_deterministic_service(double seconds) {
  return std::make_unique<DeterministicService>(seconds);
}
std::unique_ptr<ServiceTimeModel> make_table_service(LatencyCurve curve) {
  return std::make_unique<TableService>(std::move(curve));
}

std::unique_ptr<ServiceTimeModel> make_service_model(const ServiceSpec& spec) {
  switch (spec.type) {
    case ServiceSpec::Type::exponential: return make_exponential_service(spec.mean_ms / 1000.0);
    case ServiceSpec::Type::deterministic: return make_deterministic_service(spec.ms / 1000.0);
    case ServiceSpec::Type::table: {
      std::vector<LatencyCurve::Point> points;
      for (const auto& [batch, ms] : spec.batch_ms) points.push_back({batch, ms / 1000.0});
      return make_table_service(LatencyCurve(std::move(points)));
    }
    case ServiceSpec::Type::model: return make_profiled_service(*spec.curve, spec.contention_curve, spec.after_idle_curve);
  }
  return nullptr;
}

}  // namespace recsim
