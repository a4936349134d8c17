#pragma once
// The fitted latency-vs-batch model of a profile's measured points (docs/calibration.md, "The
// fitted curve"). Calibration points stay the raw data; the simulator uses this fit, so that a dip
// or a bump of one point inside the machine's noise decides nothing.
//
// The model: log latency as a smooth function of log batch size (a penalised regression spline
// with a knot at every measured batch: weighted least squares plus lambda times the squared second
// divided differences, a Whittaker smoother on an uneven grid), then made non-decreasing in the
// batch size (weighted isotonic regression, pool-adjacent-violators). Each point's weight is
// 1 / (s_i^2 + tau^2): s_i its median's own relative standard error (from its p10-p90 spread and
// its sample count) and tau the noise between points that their own spreads do not show (the
// machine's speed drifting while the ladder is measured), estimated from the fit's residuals
// (their weighted chi-square equals the residual degrees of freedom, Paule-Mandel). lambda minimises
// the weighted leave-one-out error of the fit (exact for a linear smoother: e_i / (1 - H_ii)).
// Points without samples (computed, e.g. an analytic profile) are exact: such a curve is not fitted.
#include "kernels/profiles/latency_curve.h"

#include <vector>

namespace recsim {

struct FitInput {
  int batch = 1;
  double median = 0;   // any unit: the fit returns the same unit
  double rel_se = 0;   // the median's own relative standard error; infinite or 0 samples: see above
  bool exact = false;  // a computed point: not fitted
};

struct CurveFit {
  struct Point {
    int batch;
    double measured, fitted;
    double rel_se;  // the fitted value's relative standard error (from the fit's own variance)
  };
  std::vector<Point> points;
  bool smoothed = false;  // false: too few points, or exact ones; fitted == measured
  double lambda = 0;      // the chosen smoothing weight
  double tau = 0;         // the between-point noise found (relative)
  double dof = 0;         // the fit's effective degrees of freedom (trace of the hat matrix)
};

// Fits points of strictly increasing batch sizes (at least one). Fewer than four points, or any
// exact one: returned as measured.
CurveFit fit_latency_curve(const std::vector<FitInput>& points);

}  // namespace recsim
