#pragma once
// A relative arrival rate over time, s(t) >= 0 with long-run mean 1, given through its integral
// S(t) = ∫0^t s: a Poisson process of mean rate qps modulated by it has its n-th arrival where
// S(t) = (E_1 + ... + E_n) / qps, the E_i unit exponentials (a time change). Raising qps moves every
// arrival earlier with the same draws (common random numbers).
#include "workloads/random_stream.h"

#include <memory>
#include <utility>
#include <vector>

namespace recsim {

class CumulativeRate {
 public:
  virtual ~CumulativeRate() = default;
  // The t >= 0 with S(t) = s (the first such t); called with non-decreasing s.
  virtual double time_at(double s) = 0;
};

// A daily (or any period's) sinusoid: s(t) = 1 + a cos(2π (t - peak_at_s) / period_s), with
// a = (peak_to_trough - 1) / (peak_to_trough + 1), so that the peak rate is peak_to_trough times the
// trough's.
std::unique_ptr<CumulativeRate> make_sinusoid_rate(double period_s, double peak_to_trough, double peak_at_s);
// A piecewise-linear rate through (t, relative rate) points, t from 0 increasing; it repeats with the
// last point's time as its period, normalised to mean 1 over it.
std::unique_ptr<CumulativeRate> make_table_rate(std::vector<std::pair<double, double>> points);
// On-off bursts: outside a burst the rate is c, in one burst_factor × c (c making the long-run mean
// 1); bursts begin at bursts_per_s per second outside bursts and last an exponential time of mean
// burst_s; the states are drawn from `rng` (their own stream, whatever the rate).
std::unique_ptr<CumulativeRate> make_burst_rate(double burst_factor, double burst_s, double bursts_per_s, Rng rng);

}  // namespace recsim
