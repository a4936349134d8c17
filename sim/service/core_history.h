#pragma once
// What one core served lately, for the slowdowns that depend on it (ServiceTimeModel::after_idle
// and cold_size_factor): the (model, items) of its last kWarmSizeRequests requests (a ring), and
// the after-idle excess over 1 that its next request pays if it follows without a pause, shrinking
// by a decay per request. The simulated server keeps one per core (sim/engine/server.h); `recsim
// validate` replays each real worker's requests through one to check the service-time model
// request by request (sim/serving/service_check.h).
#include "sim/service/service_time_model.h"

#include <array>
#include <utility>

namespace recsim {

// The slowdown of one request from its core's history, in two parts.
struct HistorySlowdown {
  double pause = 1.0;      // after idle: its own ratio if it found the core idle, else the carried excess
  double cold = 1.0;       // the cold-size ratio where its size is cold (1 otherwise)
  bool cold_size = false;  // its (model, size) had not run among the core's last kWarmSizeRequests
  double factor() const { return pause * cold; }
};

class CoreHistory {
 public:
  CoreHistory() { recent_.fill({-1, -1}); }
  // The slowdown of a request of `items` of `model` starting on this core, which was idle for
  // `idle_seconds` before it (< 0: busy until it starts); records the request.
  HistorySlowdown next(const ServiceTimeModel& service, int model, int items, double idle_seconds);

 private:
  std::array<std::pair<int, int>, kWarmSizeRequests> recent_;  // (-1, -1): none yet
  std::size_t next_ = 0;
  double excess_ = 0.0;
  double decay_ = 0.0;
};

}  // namespace recsim
