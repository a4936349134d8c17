#include "sim/scenario/query_sizes.h"

#include <stdexcept>

namespace recsim {

std::unique_ptr<QuerySizeDistribution> make_query_sizes(const QuerySizeSpec& q) {
  switch (q.distribution) {
    case QuerySizeSpec::Distribution::fixed: return make_fixed_sizes(q.value);
    case QuerySizeSpec::Distribution::normal: return make_normal_sizes(q.mean, q.sd, q.max);
    case QuerySizeSpec::Distribution::lognormal: return make_lognormal_sizes(q.mu, q.sigma, q.max);
    case QuerySizeSpec::Distribution::empirical: return make_empirical_sizes(q.table);
    case QuerySizeSpec::Distribution::trace: break;
  }
  throw std::logic_error("query sizes come from the trace");
}

double mean_query_size(const QuerySizeSpec& q) {
  return q.distribution == QuerySizeSpec::Distribution::trace ? q.trace_mean : make_query_sizes(q)->mean();
}

}  // namespace recsim
