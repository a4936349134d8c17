#include "sim/metrics/run_metrics.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>

namespace recsim {

LatencySummary summarise_latency(const LatencyHistogram& h) {
  LatencySummary s;
  s.mean = h.mean() * 1e3;
  s.p50 = h.percentile(50) * 1e3;
  s.p90 = h.percentile(90) * 1e3;
  s.p95 = h.percentile(95) * 1e3;
  s.p99 = h.percentile(99) * 1e3;
  s.p999 = h.percentile(99.9) * 1e3;
  s.max = h.max() * 1e3;
  return s;
}

RunMetrics::RunMetrics(std::uint64_t expected_measured) { expect(expected_measured); }

void RunMetrics::expect(std::uint64_t expected_measured) {
  expected_ = expected_measured;
  batches_.clear();
  if (expected_measured >= kBatches * kMinPerBatch) batches_.resize(kBatches);
  if (watching_) allow_over_target();
}

void RunMetrics::measured_arrival(double now) { open_at(now); }

void RunMetrics::measured_completion(double arrival, double first_start, double completion) {
  if (!batches_.empty()) {
    const std::uint64_t index = latency_.count() * kBatches / expected_;
    batches_[index < kBatches ? index : kBatches - 1].add(completion - arrival);
  }
  latency_.add(completion - arrival);
  if (watching_ && completion - arrival > over_threshold_) ++over_target_;
  const double wait = first_start - arrival;
  wait_sum_ += wait;
  if (wait > 0.0) ++waited_;
}

void RunMetrics::watch_sla(double percentile, double target_seconds) {
  watching_ = true;
  watched_percentile_ = percentile;
  // One bin beyond: a latency above target · (1 + width) lies in a bin whose lower edge is above the
  // target, and so does the percentile read from that bin (its centre, clamped to the exact max).
  over_threshold_ = target_seconds * (1.0 + LatencyHistogram::kRelativeBinWidth);
  allow_over_target();
}

void RunMetrics::allow_over_target() {
  const auto k = static_cast<std::uint64_t>(
      std::max(1.0, std::ceil(watched_percentile_ / 100.0 * static_cast<double>(expected_) - 1e-9)));
  allowed_over_ = expected_ - std::min(k, expected_);
}

void RunMetrics::summarise(double end, double sla_percentile, double sla_target_ms, RunResults& out) const {
  const auto n = latency_.count();
  out.measured = n;
  out.sla_percentile = sla_percentile;
  out.sla_target_ms = sla_target_ms;
  const double window = end - window_start();
  out.throughput_qps = (window_open() && window > 0.0) ? static_cast<double>(n) / window : 0.0;
  if (n == 0) {
    out.latency_ms.reset();
    out.sla_observed_ms.reset();
    out.sla_met = false;
    return;
  }
  out.latency_ms = summarise_latency(latency_);
  out.mean_wait_ms = static_cast<double>(wait_sum_ / static_cast<long double>(n)) * 1e3;
  out.waited_fraction = static_cast<double>(waited_) / static_cast<double>(n);
  out.sla_observed_ms = latency_.percentile(sla_percentile) * 1e3;
  out.sla_met = !out.saturated && *out.sla_observed_ms <= sla_target_ms;
  out.sla_ci95_ms.reset();
  if (batches_.empty() || out.saturated) return;
  double sum = 0.0, sum_sq = 0.0;
  for (const auto& b : batches_) {
    if (b.count() < kMinPerBatch) return;  // the run ended early
    const double x = b.percentile(sla_percentile) * 1e3;
    sum += x;
    sum_sq += x * x;
  }
  const double k = kBatches, mean = sum / k;
  const double sd = std::sqrt(std::max(0.0, (sum_sq - k * mean * mean) / (k - 1)));
  const double t = boost::math::quantile(boost::math::students_t(k - 1), 0.975);
  const double half = t * sd / std::sqrt(k);
  // Clamped to what the percentile can be: within the run's smallest and largest latency (the
  // symmetric interval went below zero where the batches' percentiles scattered widely).
  const double lowest = latency_.min() * 1e3, highest = latency_.max() * 1e3;
  out.sla_ci95_ms = std::make_pair(std::clamp(*out.sla_observed_ms - half, lowest, highest),
                                   std::clamp(*out.sla_observed_ms + half, lowest, highest));
}

}  // namespace recsim
