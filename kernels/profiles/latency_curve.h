#pragma once
// A latency-vs-batch-size curve: measured (batch, seconds) points and linear interpolation between
// them. This is the profile interface the simulator consumes: calibrated model profiles
// (kernels/profiles/*.json) and scenario tables both become a LatencyCurve.
//
// Between two points: linear interpolation. Below the smallest batch: the smallest batch's latency.
// Above the largest batch: the last segment's slope continues (never decreasing); with a single
// point the curve is flat.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace recsim {

class LatencyCurve {
 public:
  struct Point {
    int batch;
    double seconds;
    double rel_se = 0;  // the value's relative standard error (a fitted profile's; 0: taken as exact)
  };
  // Points must have strictly increasing batch sizes >= 1 and latencies > 0; at least one point.
  // Throws std::invalid_argument describing the first violation.
  explicit LatencyCurve(std::vector<Point> points);

  double seconds_at(int batch) const;
  // The relative standard error at a batch size: linear between points, the nearest end's outside.
  double rel_se_at(int batch) const;
  const std::vector<Point>& points() const { return points_; }

 private:
  std::vector<Point> points_;
  double tail_slope_ = 0.0;  // seconds per item beyond the last point
};

// The latency of requests that find their core idle after a pause of `gap_ms`: the first one
// (`first`: wake-up and caches cooled by the pause) and the one right after it (`next`: caches still
// warming; absent where not measured).
struct AfterIdleCurves {
  double gap_ms = 0.0;
  LatencyCurve first;
  std::optional<LatencyCurve> next;
};

// How much one run's time varies around its batch size's median on a machine holding still: the
// 10th and 90th percentiles of a run's time over the median of the runs timed with it (within one
// pass of the calibration, seconds long, so that the machine's slower drifts stay out), as ratios.
struct RunSpreadPoint {
  int batch = 1;
  double p10 = 1.0;  // <= 1 (sim/service/run_variation.h takes one above 1 as 1)
  double p90 = 1.0;  // >= 1 (one below 1 as 1)
};

}  // namespace recsim
