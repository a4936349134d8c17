#include "sim/engine/query_tracker.h"

namespace recsim {

std::uint32_t QueryTracker::open(double now, int requests, bool measured) {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(records_.size());
    records_.emplace_back();
  }
  records_[slot] = Record{now, -1.0, requests, measured};
  ++in_flight_;
  ++arrived_;
  if (measured) metrics_.measured_arrival(now);
  return slot;
}

void QueryTracker::request_started(std::uint32_t slot, double now) {
  Record& r = records_[slot];
  if (r.first_start < 0.0) r.first_start = now;
}

bool QueryTracker::request_finished(std::uint32_t slot, double now) {
  Record& r = records_[slot];
  if (--r.remaining > 0) return false;
  if (r.measured) metrics_.measured_completion(r.arrival, r.first_start, now);
  free_.push_back(slot);
  --in_flight_;
  ++completed_;
  if (in_flight_ == 0 && on_empty_) on_empty_();
  return true;
}

}  // namespace recsim
