#pragma once
// Where queries come from: a stream of (arrival time, model, size) in virtual time. The simulator's
// load generator pulls from a QuerySource and knows nothing else about the workload.
#include "workloads/arrival_process.h"
#include "workloads/poisson_arrivals.h"
#include "workloads/query_size_distribution.h"
#include "workloads/trace_file.h"

#include <memory>
#include <string>
#include <vector>

namespace recsim {

struct QueryArrival {
  double time = 0.0;  // seconds of virtual time since the start of the run
  int size = 1;       // items to rank
  int model = 0;      // index of the model it asks (format 2; always 0 for one model)
};

class QuerySource {
 public:
  virtual ~QuerySource() = default;
  // The next query; false when the source is exhausted.
  virtual bool next(QueryArrival& out) = 0;
};

// Arrivals from a process with sizes from a distribution; never exhausted.
std::unique_ptr<QuerySource> make_synthetic_source(std::unique_ptr<ArrivalProcess> arrivals,
                                                   std::unique_ptr<QuerySizeDistribution> sizes,
                                                   Rng size_rng);
// The same, from Poisson arrivals.
std::unique_ptr<QuerySource> make_synthetic_source(PoissonArrivals arrivals,
                                                   std::unique_ptr<QuerySizeDistribution> sizes,
                                                   Rng size_rng);
// Replays a trace file (see trace_file.h), its arrival times multiplied by `time_scale` (> 0: below 1
// the trace runs faster, at a higher rate); exhausted at its end.
std::unique_ptr<QuerySource> make_trace_source(const std::string& path, double time_scale = 1.0);
// Several models sharing one arrival stream: each arrival of `times` is of model m with probability
// shares[m] (drawn from `model_rng`), and its size is drawn from sizes[m] (from `size_rng`), or kept
// from `times` where sizes[m] is null (a trace's sizes).
std::unique_ptr<QuerySource> make_model_mix_source(std::unique_ptr<QuerySource> times, std::vector<double> shares,
                                                   std::vector<std::unique_ptr<QuerySizeDistribution>> sizes,
                                                   Rng model_rng, Rng size_rng);

}  // namespace recsim
