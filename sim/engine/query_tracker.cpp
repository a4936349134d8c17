#include "sim/engine/query_tracker.h"

#include "sim/engine/free_slots.h"

#include <algorithm>

namespace recsim {

double QueryTracker::in_window(double arrival, double until) const {
  if (!metrics_.window_open()) return 0.0;
  return std::max(0.0, until - std::max(arrival, metrics_.window_start()));
}

double QueryTracker::in_system_area(double now) const {
  long double area = area_;
  for (const Record& r : records_)
    if (r.open) area += in_window(r.arrival, now);
  return static_cast<double>(area);
}

std::uint32_t QueryTracker::open(double now, int requests, bool measured, int model, int size) {
  if (measured) {
    metrics_.measured_arrival(now);
    if (fleet_) fleet_->arrived(model, now);
  }
  const std::uint32_t slot = take_free_slot(records_, free_);
  records_[slot] = Record{arrived_, now, now, now, -1.0, 0.0, requests, model, size, 0, 0, 0, measured, true};
  for (QueryObserver* o : observers_) o->arrived(arrived_, now, model);
  ++in_flight_;
  ++arrived_;
  return slot;
}

void QueryTracker::at_server(std::uint32_t slot, double now, int group, int server) {
  Record& r = records_[slot];
  r.at_server = now;
  r.group = group;
  r.server = server;
}

void QueryTracker::request_started(std::uint32_t slot, double now) {
  Record& r = records_[slot];
  if (r.first_start < 0.0) r.first_start = now;
}

bool QueryTracker::request_finished(std::uint32_t slot, double now) {
  if (before_finish_) before_finish_(now);
  Record& r = records_[slot];
  if (--r.remaining > 0) return false;
  r.departure = now;
  if (on_departure_)
    on_departure_(slot, now);
  else
    complete(slot, now);
  return true;
}

void QueryTracker::complete(std::uint32_t slot, double now) {
  const Record r = records_[slot];
  if (r.measured) {
    metrics_.measured_completion(r.arrival, r.first_start, now);
    if (fleet_) fleet_->completed(r.model, r.group, QueryTimes{r.arrival, r.reissued, r.at_server, r.first_start, r.departure, now});
  }
  if (!observers_.empty()) {
    const QueryTimes times{r.arrival, r.reissued, r.at_server, r.first_start, r.departure, now};
    for (QueryObserver* o : observers_) o->completed(r.id, times, r.model, r.group, r.server);
  }
  if (on_complete_) on_complete_(now, now - r.arrival);
  ++completed_;
  release(slot, now);
}

void QueryTracker::retry(std::uint32_t slot, double now) {
  // Its wait and service are the attempt's that serves it; what came before is the retry's.
  records_[slot].reissued = now;
  records_[slot].first_start = -1.0;
  ++records_[slot].retries;
  ++retries_;
  for (QueryObserver* o : observers_) o->retried(records_[slot].id, now, records_[slot].model);
}

void QueryTracker::lose(std::uint32_t slot, double now) {
  const Record& r = records_[slot];
  ++lost_;
  if (r.measured) ++lost_measured_;
  for (QueryObserver* o : observers_) o->lost(r.id, r.arrival, now, r.model, r.measured);
  release(slot, now);
}

void QueryTracker::release(std::uint32_t slot, double now) {
  area_ += in_window(records_[slot].arrival, now);
  records_[slot].open = false;
  free_.push_back(slot);
  --in_flight_;
  if (in_flight_ == 0 && on_empty_) on_empty_();
}

}  // namespace recsim
