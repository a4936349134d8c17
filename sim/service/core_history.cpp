#include "sim/service/core_history.h"

#include <algorithm>
#include <cmath>

namespace recsim {

HistorySlowdown CoreHistory::next(const ServiceTimeModel& service, int model, int items, double idle_seconds) {
  HistorySlowdown s;
  if (idle_seconds >= 0.0) {
    const ServiceTimeModel::AfterIdle idle = service.after_idle(items, idle_seconds);
    s.pause = idle.first;
    excess_ = idle.next - 1.0;
    decay_ = idle.decay;
  } else if (excess_ != 0.0) {
    s.pause = 1.0 + excess_;
    excess_ *= decay_;
    if (std::abs(excess_) < 1e-4) excess_ = 0.0;  // spent: no more multiplications
  }
  const std::pair<int, int> size{model, items};
  if (std::find(recent_.begin(), recent_.end(), size) == recent_.end()) {
    s.cold_size = true;
    s.cold = service.cold_size_factor(items);
  }
  recent_[next_] = size;
  next_ = (next_ + 1) % recent_.size();
  return s;
}

}  // namespace recsim
