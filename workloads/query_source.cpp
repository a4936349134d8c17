#include "workloads/query_source.h"

namespace recsim {
namespace {

class SyntheticSource final : public QuerySource {
 public:
  SyntheticSource(PoissonArrivals arrivals, std::unique_ptr<QuerySizeDistribution> sizes, Rng size_rng)
      : arrivals_(std::move(arrivals)), sizes_(std::move(sizes)), size_rng_(std::move(size_rng)) {}
  bool next(QueryArrival& out) override {
    now_ += arrivals_.next_gap();
    out.time = now_;
    out.size = sizes_->sample(size_rng_);
    return true;
  }

 private:
  PoissonArrivals arrivals_;
  std::unique_ptr<QuerySizeDistribution> sizes_;
  Rng size_rng_;
  double now_ = 0.0;
};

class TraceSource final : public QuerySource {
 public:
  explicit TraceSource(const std::string& path) : reader_(path) {}
  bool next(QueryArrival& out) override { return reader_.next(out.time, out.size); }

 private:
  TraceReader reader_;
};

}  // namespace

std::unique_ptr<QuerySource> make_synthetic_source(PoissonArrivals arrivals,
                                                   std::unique_ptr<QuerySizeDistribution> sizes,
                                                   Rng size_rng) {
  return std::make_unique<SyntheticSource>(std::move(arrivals), std::move(sizes), std::move(size_rng));
}

std::unique_ptr<QuerySource> make_trace_source(const std::string& path) {
  return std::make_unique<TraceSource>(path);
}

}  // namespace recsim
