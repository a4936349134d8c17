#pragma once
// The query-size distribution a scenario's workload.query_size describes (not for traces: their
// sizes come with the arrivals).
#include "workloads/query_size_spec.h"
#include "workloads/query_size_distribution.h"

#include <memory>

namespace recsim {

std::unique_ptr<QuerySizeDistribution> make_query_sizes(const QuerySizeSpec& q);

// The mean query size: the distribution's, or the arrival trace's.
double mean_query_size(const QuerySizeSpec& q);

}  // namespace recsim
