#include "sim/scheduling/online_hill_climber.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recsim {

double nearest_rank_percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0.0;
  const auto n = static_cast<double>(values.size());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(p / 100.0 * n - 1e-9)));
  const auto nth = values.begin() + static_cast<std::ptrdiff_t>(std::min(rank, values.size()) - 1);
  std::nth_element(values.begin(), nth, values.end());
  return *nth;
}

OnlineHillClimber::OnlineHillClimber(OnlineClimbOptions options) : options_(std::move(options)) {
  const auto& o = options_.spec;
  if (o.batches.empty() || o.gap_steps < 2 || o.update_queries < 1 || o.updates < 1 || o.median_of < 1 ||
      !(o.min_qps > 0.0) || !(o.max_qps > o.min_qps) || !(options_.start_qps > 0.0))
    throw std::invalid_argument("invalid online climb options");
  // Log-spaced gaps from 1/max_qps up to 1/min_qps.
  const double lo = std::log(1.0 / o.max_qps), hi = std::log(1.0 / o.min_qps);
  for (int i = 0; i < o.gap_steps; ++i) gaps_.push_back(std::exp(lo + (hi - lo) * i / (o.gap_steps - 1)));
  const double start = 1.0 / options_.start_qps;
  for (std::size_t i = 1; i < gaps_.size(); ++i)
    if (std::abs(std::log(gaps_[i] / start)) < std::abs(std::log(gaps_[gap_index_] / start))) gap_index_ = i;
  current_ = TuneConfig{o.batches.front(), std::nullopt};
  latencies_.reserve(static_cast<std::size_t>(o.update_queries));
}

void OnlineHillClimber::complete(double now, double latency_s) {
  if (finished_ || draining_) return;
  latencies_.push_back(latency_s);
  if (latencies_.size() < static_cast<std::size_t>(options_.spec.update_queries)) return;
  const double p = nearest_rank_percentile(latencies_, options_.percentile);
  latencies_.clear();
  history_.push_back(gap_index_);
  if (p > options_.target_seconds) {
    if (gap_index_ + 1 < gaps_.size()) ++gap_index_;
  } else if (p < options_.target_seconds / (1.0 + options_.spec.headroom)) {
    if (gap_index_ > 0) --gap_index_;
  }
  if (history_.size() == static_cast<std::size_t>(options_.spec.updates)) decide(now);
}

void OnlineHillClimber::decide(double now) {
  const std::size_t m = std::min(history_.size(), static_cast<std::size_t>(options_.spec.median_of));
  std::vector<std::size_t> last(history_.end() - static_cast<std::ptrdiff_t>(m), history_.end());
  // The median gap; for an even count the larger of the middle two (the slower rate: a controller
  // alternating between a met and a missed gap reports the met one). Gaps are ordered with their indices.
  std::nth_element(last.begin(), last.begin() + static_cast<std::ptrdiff_t>(m / 2), last.end());
  const std::size_t median = last[m / 2];
  OnlineStep step;
  step.config = current_;
  step.phase = in_threshold_phase_ ? "threshold" : "batch";
  step.started_s = started_at_;
  step.decided_s = now;
  step.max_qps = 1.0 / gaps_[median];
  step.at_limit = median == 0 || median + 1 == gaps_.size();
  steps_.push_back(step);
  gap_index_ = median;  // the next configuration starts here
  // Strict improvement moves on; anything else ends the phase at its best so far.
  if (phase_has_best_ && !(step.max_qps > best_in_phase_.max_qps)) return end_phase();
  best_in_phase_ = step;
  phase_has_best_ = true;
  const auto& ladder = in_threshold_phase_ ? options_.spec.thresholds : options_.spec.batches;
  if (++index_ >= ladder.size()) return end_phase();
  next(in_threshold_phase_ ? TuneConfig{current_.batch_size, ladder[index_]} : TuneConfig{ladder[index_], std::nullopt});
}

void OnlineHillClimber::end_phase() {
  if (!in_threshold_phase_) {
    best_overall_ = best_in_phase_;
    if (!options_.spec.thresholds.empty()) {
      in_threshold_phase_ = true;
      index_ = 0;
      phase_has_best_ = false;
      return next({best_overall_.config.batch_size, options_.spec.thresholds.front()});
    }
  } else if (best_in_phase_.max_qps > best_overall_.max_qps) {
    best_overall_ = best_in_phase_;
  }
  next(best_overall_.config);
  pending_final_ = true;
}

void OnlineHillClimber::next(const TuneConfig& config) {
  pending_ = config;
  draining_ = true;
}

void OnlineHillClimber::drained(double now) {
  if (!draining_) return;
  draining_ = false;
  current_ = pending_;
  started_at_ = now;
  latencies_.clear();
  history_.clear();
  if (pending_final_) {
    finished_ = true;
    finished_at_ = now;
  }
}

}  // namespace recsim
