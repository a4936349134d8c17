#include "sim/scenario/query_sizes.h"

#include <stdexcept>

namespace recsim {

std::unique_ptr<QuerySizeDistribution> make_query_sizes(const QuerySizeSpec& q) {
  if (q.from_trace()) throw std::logic_error("query sizes come from the trace");
  return q.make();
}

double mean_query_size(const QuerySizeSpec& q) { return q.from_trace() ? q.trace_mean : make_query_sizes(q)->mean(); }

}  // namespace recsim
