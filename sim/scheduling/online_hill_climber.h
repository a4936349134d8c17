#pragma once
// The `deeprecsched-online` policy's controller: DeepRecSched's hill climbing done inside one run, in
// virtual time, during the service's warm-up, as the published code does it
// (docs/references.md, DeepRecSys, "Public code details").
//
// For each configuration (per-core batch size b, GPU offload threshold t) the climber finds the
// achievable load under the SLA with a stepwise controller on the arrival gap: the gap takes one of
// `gap_steps` log-spaced values between 1/max_qps and 1/min_qps (the names are OnlineSpec's); after every `update_queries`
// completed queries it looks at their SLA percentile (nearest rank): above the target, the next
// larger gap (slower arrivals); below target / (1 + `headroom`), the next smaller gap (faster); else
// it holds. After `updates` updates the configuration's achievable load is 1 / the median of the
// gaps in force over the last `median_of` updates. The queues are then drained (arrivals pause until
// the system is empty) and the next configuration starts from the gap the last one ended at.
//
// The moves are the offline search's (sim/search/hill_climber.h): b from the smallest value of its
// ladder upward while the achievable load strictly improves, stopping at the first value that does
// not improve it and going back to the best; then, when the platform has GPUs, t the same way with
// that b; the result is the better of the best b without offload and the best (b, t). The best
// configuration then serves the rest of the run at the scenario's own rate; the tuning queries are
// not measured.
//
// The class knows nothing of SimGrid: the load generator asks gap_seconds() and config() for each
// arrival, reports every completion with complete(), pauses while draining() and calls drained()
// once the system is empty.
#include "sim/scheduling/scheduler_spec.h"
#include "sim/scheduling/tune_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace recsim {

struct OnlineClimbOptions {
  OnlineSpec spec;            // the ladders and the controller's settings (scheduler.online)
  double percentile = 95.0;   // the SLA
  double target_seconds = 0.0;
  double start_qps = 1.0;     // the first configuration starts at the gap nearest 1 / start_qps
};

struct OnlineStep {
  TuneConfig config;
  std::string phase;        // "batch" or "threshold"
  double started_s = 0;     // when it came into force (the queues empty)
  double decided_s = 0;     // its last update
  double max_qps = 0;       // 1 / median of the last gaps
  bool at_limit = false;    // the median gap is the ladder's smallest or largest: widen min_qps/max_qps
};

class OnlineHillClimber {
 public:
  explicit OnlineHillClimber(OnlineClimbOptions options);

  // The configuration for a query arriving now, and the mean arrival gap while climbing.
  const TuneConfig& config() const { return current_; }
  double gap_seconds() const { return gaps_[gap_index_]; }
  // A query completed after `latency_s` in the system, at `now`.
  void complete(double now, double latency_s);
  // Arrivals must pause until the system is empty; then call drained().
  bool draining() const { return draining_; }
  void drained(double now);

  bool finished() const { return finished_; }  // the best configuration is in force
  double finished_at() const { return finished_at_; }
  const std::vector<OnlineStep>& steps() const { return steps_; }

 private:
  void decide(double now);
  void next(const TuneConfig& config);
  void end_phase();

  OnlineClimbOptions options_;
  std::vector<double> gaps_;  // increasing
  TuneConfig current_;
  std::size_t gap_index_ = 0;
  bool draining_ = false;
  bool finished_ = false;
  double finished_at_ = 0.0;
  double started_at_ = 0.0;    // when the current configuration came into force
  TuneConfig pending_;         // the configuration to run once drained
  bool pending_final_ = false;
  // Controller state of the current configuration.
  std::vector<double> latencies_;     // of the current update interval
  std::vector<std::size_t> history_;  // gap index in force at each update
  // Climb state.
  bool in_threshold_phase_ = false;
  std::size_t index_ = 0;
  OnlineStep best_in_phase_;
  bool phase_has_best_ = false;
  OnlineStep best_overall_;
  std::vector<OnlineStep> steps_;
};

// Nearest-rank percentile of `values` (p in (0, 100]), exact; reorders `values`.
double nearest_rank_percentile(std::vector<double>& values, double p);

}  // namespace recsim
