#pragma once
// Closed-form queueing results used as references (any queueing text; docs/references.md, Other sources).
// FIFO, c identical servers, arrival rate lambda, service rate mu, a = lambda/mu, rho = a/c < 1.
#include <cmath>

namespace recsim::test {

// Erlang C: probability that an arriving customer waits.
inline double erlang_c(int c, double a) {
  double term = 1.0, sum = 1.0;  // a^k/k!, summed for k < c
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double top = term * a / c / (1.0 - a / c);  // a^c/c! * 1/(1-rho)
  return top / (sum + top);
}

// M/M/c mean sojourn time (wait + service).
inline double mmc_mean_sojourn(int c, double lambda, double mu) {
  return erlang_c(c, lambda / mu) / (c * mu - lambda) + 1.0 / mu;
}

// M/M/c sojourn-time tail P(T > t), for c*mu - lambda != mu.
inline double mmc_sojourn_tail(int c, double lambda, double mu, double t) {
  const double C = erlang_c(c, lambda / mu);
  const double d = c * mu - lambda;
  return std::exp(-mu * t) + C * mu / (mu - d) * (std::exp(-d * t) - std::exp(-mu * t));
}

// The p-quantile (p in (0,1)) of the M/M/c sojourn time, by bisection on the tail.
inline double mmc_sojourn_quantile(int c, double lambda, double mu, double p) {
  double lo = 0.0, hi = 1.0 / mu;
  while (mmc_sojourn_tail(c, lambda, mu, hi) > 1.0 - p) hi *= 2.0;
  for (int i = 0; i < 200; ++i) {
    const double mid = 0.5 * (lo + hi);
    (mmc_sojourn_tail(c, lambda, mu, mid) > 1.0 - p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// M/G/1 mean wait (Pollaczek-Khinchine): lambda E[S^2] / (2 (1 - rho)).
inline double pk_mean_wait(double lambda, double es, double es2) { return lambda * es2 / (2.0 * (1.0 - lambda * es)); }

}  // namespace recsim::test
