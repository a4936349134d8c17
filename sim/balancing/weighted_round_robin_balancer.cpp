// weighted_round_robin: servers in turn in proportion to their capacity for the query's model
// (view.weights: a server kind's cores over the model's mean request time there), by stride
// scheduling: each server has a pass, starting at half its stride 1/weight; the server with the
// smallest pass (the lowest index on a tie) gets the query and its pass grows by its stride. Over any
// window each server gets its share of queries to within one. With equal weights it is round robin.
// O(log N) through a segment tree of passes.
#include "sim/balancing/balancer_policies.h"

namespace recsim {
namespace {

class WeightedRoundRobin final : public Balancer {
 public:
  explicit WeightedRoundRobin(std::size_t servers) : pass_(servers) {}
  std::size_t choose(const BalancerView& view) override {
    if (stride_.empty()) {
      for (std::size_t i = 0; i < pass_.size(); ++i) {
        const double w = i < view.weights.size() && view.weights[i] > 0.0 ? view.weights[i] : 1.0;
        stride_.push_back(1.0 / w);
        pass_.set(i, stride_.back() / 2);
      }
    }
    std::size_t chosen = pass_.least_from(0);
    while (!view.is_up(chosen)) {  // a server down passes its turn
      pass_.set(chosen, pass_.load(chosen) + stride_[chosen]);
      chosen = pass_.least_from(0);
    }
    pass_.set(chosen, pass_.load(chosen) + stride_[chosen]);
    return chosen;
  }

 private:
  ServerLoadIndex pass_;
  std::vector<double> stride_;
};

}  // namespace

BalancerPolicy weighted_round_robin_balancer() {
  return {"weighted_round_robin", "servers in turn in proportion to their capacity for the model (stride scheduling)", false, false,
          [](std::size_t servers) { return std::make_unique<WeightedRoundRobin>(servers); }};
}

}  // namespace recsim
