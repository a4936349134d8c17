#pragma once
// The measurement window: it opens at the arrival of the first measured (post-warm-up) query and
// closes at the end of the run. The one thing the components that meter busy time (servers, GPUs,
// the parameter server's actors, BusyMeter) read from the run's measurements; RunMetrics opens it.
namespace recsim {

class MeasurementWindow {
 public:
  bool window_open() const { return open_; }
  double window_start() const { return start_; }

 protected:
  // Opens the window at `now` unless it is open already.
  void open_at(double now) {
    if (open_) return;
    open_ = true;
    start_ = now;
  }

 private:
  bool open_ = false;
  double start_ = 0.0;
};

}  // namespace recsim
