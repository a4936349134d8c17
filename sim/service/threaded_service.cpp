#include "sim/service/threaded_service.h"

namespace recsim {

namespace {

class ThreadedService final : public ServiceTimeModel {
 public:
  ThreadedService(std::unique_ptr<ServiceTimeModel> one, LatencyCurve alone, LatencyCurve threaded)
      : one_(std::move(one)), alone_(std::move(alone)), threaded_(std::move(threaded)) {}
  double sample_seconds(int items, Rng& rng) const override { return one_->sample_seconds(items, rng) * ratio(items); }
  double mean_seconds(int items) const override { return one_->mean_seconds(items) * ratio(items); }
  double contention_factor(int items, double others_busy, int cores) const override {
    return one_->contention_factor(items, others_busy, cores);
  }
  bool contended() const override { return one_->contended(); }
  AfterIdle after_idle(int items, double idle_seconds) const override { return one_->after_idle(items, idle_seconds); }
  double cold_size_factor(int items) const override { return one_->cold_size_factor(items); }
  bool history_dependent() const override { return one_->history_dependent(); }

 private:
  double ratio(int items) const { return threaded_.seconds_at(items) / alone_.seconds_at(items); }
  std::unique_ptr<ServiceTimeModel> one_;
  LatencyCurve alone_, threaded_;
};

}  // namespace

std::unique_ptr<ServiceTimeModel> make_threaded_service(std::unique_ptr<ServiceTimeModel> one_thread, LatencyCurve alone,
                                                        LatencyCurve threaded) {
  return std::make_unique<ThreadedService>(std::move(one_thread), std::move(alone), std::move(threaded));
}

}  // namespace recsim
