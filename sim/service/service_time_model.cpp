#include "sim/service/service_time_model.h"

#include "sim/service/threaded_service.h"

#include "sim/service/run_variation.h"

#include <stdexcept>
#include <boost/random/exponential_distribution.hpp>

#include <algorithm>
#include <cmath>

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
  ProfiledService(LatencyCurve alone, std::optional<LatencyCurve> all_busy, std::vector<AfterIdleCurves> after_idle,
                  std::vector<std::pair<int, LatencyCurve>> levels, int all_busy_instances, std::optional<LatencyCurve> cold_size,
                  const std::vector<RunSpreadPoint>& run_spread)
      : alone_(std::move(alone)), after_idle_(std::move(after_idle)), cold_size_(std::move(cold_size)), levels_(std::move(levels)),
        variation_(run_spread) {
    if (all_busy) levels_.emplace_back(std::max(2, all_busy_instances), std::move(*all_busy));
    for (const auto& gap : after_idle_) next_measured_ = next_measured_ && gap.next.has_value();
  }
  // The alone curve holds medians; a request's own variation scatters around them.
  double sample_seconds(int items, Rng& rng) const override { return alone_.seconds_at(items) * variation_.draw(items, rng); }
  double mean_seconds(int items) const override { return alone_.seconds_at(items) * variation_.mean(items); }
  double contention_factor(int items, double others_busy, int cores) const override {
    if (levels_.empty() || others_busy <= 0.0) return 1.0;
    // Other cores busy, in the measured range: the server's own count where the levels reach its
    // size, else stretched so that all busy is the top level.
    const int top = levels_.back().first;
    const double others = others_busy * (std::min(std::max(cores, 2), top) - 1);
    const double alone = alone_.seconds_at(items);
    double x0 = 0.0, r0 = 1.0;  // no other core busy: no slowdown
    for (const auto& [instances, curve] : levels_) {
      // The profile keeps a ratio below 1 only where it is significant (LatencyProfile::contention_curve):
      // on some machines an instance runs faster with the other cores busy (their clocks stay up).
      const double x1 = instances - 1, r1 = curve.seconds_at(items) / alone;
      if (others <= x1) return r0 + (r1 - r0) * (others - x0) / (x1 - x0);
      x0 = x1;
      r0 = r1;
    }
    return r0;
  }
  bool contended() const override { return !levels_.empty(); }
  AfterIdle after_idle(int items, double idle_seconds) const override {
    if (after_idle_.empty()) return {};
    // The gaps measured around the pause: the shortest's ratios below it, the longest's above,
    // linear in log pause between two. Ratios below 1 only where significant, as for contention.
    const double gap_ms = idle_seconds * 1e3;
    std::size_t hi = 0;
    while (hi < after_idle_.size() && after_idle_[hi].gap_ms < gap_ms) ++hi;
    const std::size_t lo = hi == 0 ? 0 : hi - 1;
    hi = std::min(hi, after_idle_.size() - 1);
    const double t = lo == hi ? 0.0 : std::log(gap_ms / after_idle_[lo].gap_ms) / std::log(after_idle_[hi].gap_ms / after_idle_[lo].gap_ms);
    const double alone = alone_.seconds_at(items);
    const auto ratio = [&](const LatencyCurve& a, const LatencyCurve& b) {
      const double ra = a.seconds_at(items) / alone;
      return ra + (b.seconds_at(items) / alone - ra) * t;
    };
    AfterIdle s;
    s.first = ratio(after_idle_[lo].first, after_idle_[hi].first);
    if (!next_measured_) return s;
    s.next = ratio(*after_idle_[lo].next, *after_idle_[hi].next);
    // The excess left after the second run shrinks as it did from the first run to the second.
    if (s.first > 1.0 && s.next > 1.0) s.decay = std::min(kMaxAfterIdleDecay, (s.next - 1.0) / (s.first - 1.0));
    return s;
  }
  bool history_dependent() const override { return !after_idle_.empty() || cold_size_.has_value(); }
  double cold_size_factor(int items) const override {
    // Measured up to the cold curve's largest size (64: recsim calibrate's mixture); not beyond.
    if (!cold_size_ || items > cold_size_->points().back().batch) return 1.0;
    return cold_size_->seconds_at(items) / alone_.seconds_at(items);
  }

 private:
  LatencyCurve alone_;
  std::vector<AfterIdleCurves> after_idle_;  // by gap, increasing
  bool next_measured_ = true;                // every gap has its `next` curve
  std::optional<LatencyCurve> cold_size_;
  std::vector<std::pair<int, LatencyCurve>> levels_;  // (instances at once, curve), increasing; the top last
  RunVariation variation_;
};

}  // namespace

std::unique_ptr<ServiceTimeModel> make_profiled_service(LatencyCurve alone, std::optional<LatencyCurve> all_busy,
                                                        std::vector<AfterIdleCurves> after_idle,
                                                        std::vector<std::pair<int, LatencyCurve>> levels, int all_busy_instances,
                                                        std::optional<LatencyCurve> cold_size, std::vector<RunSpreadPoint> run_spread) {
  return std::make_unique<ProfiledService>(std::move(alone), std::move(all_busy), std::move(after_idle), std::move(levels),
                                           all_busy_instances, std::move(cold_size), run_spread);
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

const LatencyCurve* intra_op_thread_curve(const ServiceSpec& spec, int threads) {
  for (const auto& [t, curve] : spec.intra_op_thread_curves)
    if (t == threads) return &curve;
  return nullptr;
}

std::unique_ptr<ServiceTimeModel> make_service_model(const ServiceSpec& spec, int threads) {
  if (!spec.make) throw std::logic_error("a service spec without a service type");
  auto one = spec.make(spec);
  if (threads <= 1) return one;
  const LatencyCurve* curve = intra_op_thread_curve(spec, threads);
  if (!curve || !spec.curve) throw std::logic_error("no curve for " + std::to_string(threads) + " intra-op threads");
  return make_threaded_service(std::move(one), *spec.curve, *curve);
}

}  // namespace recsim
