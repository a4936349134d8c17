#include "sim/engine/server.h"

#include "sim/engine/completion_flusher.h"

#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <functional>

namespace recsim {

Server::Server(ServerHost host, std::vector<const ServiceTimeModel*> services, Rng service_rng, QueryTracker& tracker,
               const MeasurementWindow& metrics)
    : host_(std::move(host)), services_(std::move(services)), tracker_(tracker), metrics_(metrics),
      core_busy_(static_cast<std::size_t>(host_.cpu_cores), 0.0), history_(static_cast<std::size_t>(host_.cpu_cores)),
      rng_(std::move(service_rng)) {
  for (int c = 0; c < host_.cpu_cores; ++c) free_.push_back({0.0, c});  // sorted: already a heap
}

void Server::deliver_through(CompletionFlusher& flusher, std::size_t index) {
  flusher_ = &flusher;
  flusher_index_ = index;
  if (!pending_.empty()) flusher.notify(index, pending_.top().end);
}

void Server::submit(std::uint32_t slot, int items, int model, double now) {
  if (!flusher_) advance_to(now);  // lazy mode: what finished before this arrival leaves first
  const ServiceTimeModel& service = *services_[static_cast<std::size_t>(model)];
  const double seconds = service.sample_seconds(items, rng_);
  // FIFO over identical cores: the earliest-free core takes it, when it is free and the request has arrived.
  std::pop_heap(free_.begin(), free_.end(), std::greater<CoreFree>());
  const CoreFree core = free_.back();
  free_.pop_back();
  const double start = std::max(now, core.at);
  // A request that finds its core idle (free before it arrived) pays the wake-up and the caches the
  // pause cooled, and leaves part of that to the requests after it in the busy period; one of a size
  // (or model) its core has not run lately pays for its primitives and buffers back in the caches.
  double factor = 1.0;
  if (service.history_dependent())
    factor = history_[static_cast<std::size_t>(core.core)].next(service, model, items, core.at <= now ? now - core.at : -1.0).factor();
  if (service.contended() && host_.cpu_cores > 1) {
    // The other cores busy at its start: those free only after it (every earlier request is placed).
    int busy = 0;
    for (const CoreFree& c : free_) busy += c.at > start ? 1 : 0;
    factor *= service.contention_factor(items, static_cast<double>(busy) / (host_.cpu_cores - 1), host_.cpu_cores);
  }
  const double end = start + seconds * factor;
  // The work offered is the core time the request takes as served, contention included: in an
  // overloaded server every core is busy, so an overload shows at the all-busy service times.
  if (metrics_.window_open()) {
    offered_work_ += seconds * factor;
    // A query's requests come one after another at one time; a slot is reused only by a later query.
    if (slot != work_slot_ || now != work_at_) {
      offered_square_ += query_work_ * query_work_;
      query_work_ = 0.0;
      work_slot_ = slot;
      work_at_ = now;
    }
    query_work_ += seconds * factor;
    offered_alone_ += seconds;
    if (service.contended() && host_.cpu_cores > 1) {
      // Most requests of a run have the batch size's items: one curve lookup per distinct size.
      if (items != all_busy_items_ || model != all_busy_model_) {
        all_busy_items_ = items;
        all_busy_model_ = model;
        all_busy_factor_ = service.contention_factor(items, 1.0, host_.cpu_cores);
      }
      offered_all_busy_ += seconds * all_busy_factor_;
    } else {
      offered_all_busy_ += seconds;
    }
  }
  free_.push_back({end, core.core});
  std::push_heap(free_.begin(), free_.end(), std::greater<CoreFree>());
  tracker_.request_placed(slot, core.core, start, end);
  const bool earliest = pending_.empty() || end < pending_.top().end;
  pending_.push({start, end, seq_++, slot, core.core});
  load_changed();
  if (flusher_ && earliest) flusher_->notify(flusher_index_, end);
}

void Server::advance_to(double t) {
  const LoadBatch batch(*this);  // the loads change once, after every completion due
  while (!pending_.empty() && pending_.top().end <= t) {
    const Request r = pending_.top();
    pending_.pop();
    core_busy_[static_cast<std::size_t>(r.core)] += busy_since_window(r.start, r.end);
    ++served_;
    load_changed();
    tracker_.request_finished(r.query, r.end);
  }
}

std::vector<std::uint32_t> Server::fail(double now) {
  advance_to(now);
  std::vector<std::uint32_t> caught;
  while (!pending_.empty()) {
    const Request r = pending_.top();
    pending_.pop();
    if (r.start < now) core_busy_[static_cast<std::size_t>(r.core)] += busy_since_window(r.start, now);
    tracker_.request_cut(r.query, std::max(r.start, now), r.end);
    caught.push_back(r.query);
  }
  std::sort(caught.begin(), caught.end());
  caught.erase(std::unique(caught.begin(), caught.end()), caught.end());
  for (CoreFree& c : free_) c.at = std::min(c.at, now);  // the dropped work no longer holds the cores
  std::make_heap(free_.begin(), free_.end(), std::greater<CoreFree>());
  load_changed();
  return caught;
}

void Server::recover(double now) {
  for (CoreFree& c : free_) c.at = now;
  std::make_heap(free_.begin(), free_.end(), std::greater<CoreFree>());
  for (CoreHistory& h : history_) h = CoreHistory();
  load_changed();
}

double Server::idle_at() const {
  double t = 0.0;
  for (const CoreFree& c : free_) t = std::max(t, c.at);
  return t;
}

double Server::busy_since_window(double start, double end) const {
  if (!metrics_.window_open()) return 0.0;
  return std::max(0.0, end - std::max(start, metrics_.window_start()));
}

std::vector<double> Server::core_busy_seconds(double end) const {
  std::vector<double> busy = core_busy_;
  auto copy = pending_;  // requests in service at `end` count up to it; queued ones not at all
  while (!copy.empty()) {
    const Request& r = copy.top();
    if (r.start < end) busy[static_cast<std::size_t>(r.core)] += busy_since_window(r.start, std::min(r.end, end));
    copy.pop();
  }
  return busy;
}

}  // namespace recsim
