#pragma once
// Query-size distributions: how many items a query asks to rank. Sizes are integers >= 1.
#include "workloads/random_stream.h"

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace recsim {

class QuerySizeDistribution {
 public:
  virtual ~QuerySizeDistribution() = default;
  virtual int sample(Rng& rng) = 0;
  // Mean of the distribution as sampled (after rounding and clipping), for reports and checks.
  virtual double mean() const = 0;
  // E[f(size)] over the distribution as sampled: exact term by term over the sizes below 65,536
  // (stopping once the rest is below double precision); beyond, a clipped continuous tail counts as
  // its probability times f at its conditional mean (f close to linear there, as work per query is).
  virtual double expectation(const std::function<double(int)>& f) const = 0;
};

// Every query has the same size.
std::unique_ptr<QuerySizeDistribution> make_fixed_sizes(int value);
// Normal(mean, sd), rounded to the nearest integer and clipped to [1, max].
std::unique_ptr<QuerySizeDistribution> make_normal_sizes(double mean, double sd, int max);
// exp(Normal(mu, sigma)), rounded to the nearest integer and clipped to [1, max].
std::unique_ptr<QuerySizeDistribution> make_lognormal_sizes(double mu, double sigma, int max);
// The sigma of a lognormal whose largest quarter of draws holds `share` (in (0.25, 1)) of the
// total (before rounding and clipping): Phi^-1(0.75) + Phi^-1(share); 0.674 for a half.
double lognormal_sigma_for_top_quarter_share(double share);
// An empirical table: each size with its (unnormalised) weight.
std::unique_ptr<QuerySizeDistribution> make_empirical_sizes(
    const std::vector<std::pair<int, double>>& size_weights);

}  // namespace recsim
