#include "workloads/query_source.h"

#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>

namespace recsim {
namespace {

class SyntheticSource final : public QuerySource {
 public:
  SyntheticSource(std::unique_ptr<ArrivalProcess> arrivals, std::unique_ptr<QuerySizeDistribution> sizes, Rng size_rng)
      : arrivals_(std::move(arrivals)), sizes_(std::move(sizes)), size_rng_(std::move(size_rng)) {}
  bool next(QueryArrival& out) override {
    now_ += arrivals_->next_gap();
    out.time = now_;
    out.size = sizes_->sample(size_rng_);
    return true;
  }

 private:
  std::unique_ptr<ArrivalProcess> arrivals_;
  std::unique_ptr<QuerySizeDistribution> sizes_;
  Rng size_rng_;
  double now_ = 0.0;
};

class TraceSource final : public QuerySource {
 public:
  TraceSource(const std::string& path, double time_scale) : reader_(path), scale_(time_scale) {}
  bool next(QueryArrival& out) override {
    if (!reader_.next(out.time, out.size)) return false;
    out.time *= scale_;
    return true;
  }

 private:
  TraceReader reader_;
  double scale_;
};

class ModelMixSource final : public QuerySource {
 public:
  ModelMixSource(std::unique_ptr<QuerySource> times, std::vector<double> shares,
                 std::vector<std::unique_ptr<QuerySizeDistribution>> sizes, Rng model_rng, Rng size_rng)
      : times_(std::move(times)), sizes_(std::move(sizes)), model_rng_(std::move(model_rng)), size_rng_(std::move(size_rng)) {
    double sum = 0.0;
    for (double s : shares) cumulative_.push_back(sum += s);
  }
  bool next(QueryArrival& out) override {
    if (!times_->next(out)) return false;
    // Inverse CDF over the cumulative shares: O(log M).
    const double u = boost::random::uniform_real_distribution<double>(0.0, cumulative_.back())(model_rng_);
    const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
    out.model = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(it - cumulative_.begin()), cumulative_.size() - 1));
    if (const auto& d = sizes_[static_cast<std::size_t>(out.model)]) out.size = d->sample(size_rng_);
    return true;
  }

 private:
  std::unique_ptr<QuerySource> times_;
  std::vector<std::unique_ptr<QuerySizeDistribution>> sizes_;
  std::vector<double> cumulative_;
  Rng model_rng_, size_rng_;
};

}  // namespace

std::unique_ptr<QuerySource> make_model_mix_source(std::unique_ptr<QuerySource> times, std::vector<double> shares,
                                                   std::vector<std::unique_ptr<QuerySizeDistribution>> sizes,
                                                   Rng model_rng, Rng size_rng) {
  return std::make_unique<ModelMixSource>(std::move(times), std::move(shares), std::move(sizes), std::move(model_rng),
                                          std::move(size_rng));
}

std::unique_ptr<QuerySource> make_synthetic_source(std::unique_ptr<ArrivalProcess> arrivals,
                                                   std::unique_ptr<QuerySizeDistribution> sizes,
                                                   Rng size_rng) {
  return std::make_unique<SyntheticSource>(std::move(arrivals), std::move(sizes), std::move(size_rng));
}

std::unique_ptr<QuerySource> make_synthetic_source(PoissonArrivals arrivals,
                                                   std::unique_ptr<QuerySizeDistribution> sizes,
                                                   Rng size_rng) {
  return make_synthetic_source(std::make_unique<PoissonArrivals>(std::move(arrivals)), std::move(sizes), std::move(size_rng));
}

std::unique_ptr<QuerySource> make_trace_source(const std::string& path, double time_scale) {
  return std::make_unique<TraceSource>(path, time_scale);
}

}  // namespace recsim
