#include "sim/engine/completion_flusher.h"

#include "sim/engine/query_tracker.h"
#include "sim/engine/server.h"

#include <simgrid/s4u/Engine.hpp>

#include <bit>
#include <boost/sort/spreadsort/integer_sort.hpp>

namespace recsim {

CompletionFlusher::CompletionFlusher(simgrid::s4u::Host* home, std::vector<std::unique_ptr<Server>>& servers)
    : home_(home), servers_(servers), next_(servers.size()), wake_(simgrid::s4u::Semaphore::create(0)) {
  for (std::size_t i = 0; i < servers.size(); ++i) next_.set(i, Server::kNever);
}

void CompletionFlusher::start() {
  actor_ = simgrid::s4u::Actor::create("completions", home_, [this] { run(); })->daemonize();
}

void CompletionFlusher::notify(std::size_t index, double time) {
  next_.set(index, time);
  if (parked_) {
    parked_ = false;
    actor_->resume();
  } else if (time < sleeping_until_ && !wake_sent_) {
    wake_sent_ = true;
    wake_->release();
  }
}

void CompletionFlusher::drain(QueryTracker& tracker) {
  listed_.clear();
  std::size_t pending = 0;
  for (const auto& server : servers_) pending += server->pending();
  listed_.reserve(pending);  // (24 bytes a request: the resource estimate counts them)
  constexpr std::size_t kAhead = 8;  // servers read this far ahead: cold in a large fleet
  for (std::size_t s = 0; s < servers_.size(); ++s) {
    if (s + kAhead < servers_.size()) servers_[s + kAhead]->prefetch_visit();
    servers_[s]->for_each_pending([&](double end, std::uint32_t query) {
      listed_.push_back({end, servers_[s].get(), static_cast<std::uint32_t>(s), query});
    });
  }
  if (listed_.empty()) return;
  // By end, then server: a radix sort on the ends' bits (non-negative doubles order as their bits).
  boost::sort::spreadsort::integer_sort(
      listed_.begin(), listed_.end(), [](const Listed& l, unsigned shift) { return std::bit_cast<std::uint64_t>(l.end) >> shift; },
      [](const Listed& a, const Listed& b) { return a.end < b.end || (a.end == b.end && a.index < b.index); });
  next_listed_ = 0;
  tracker_ = &tracker;
  tracker.before_finish([this](double t) { deliver_listed(t); });
  if (parked_) {
    parked_ = false;
    actor_->resume();
  }
}

void CompletionFlusher::deliver_listed(double t) {
  if (delivering_) return;
  delivering_ = true;
  // Each completion is on a server none of the last thousands touched: the lines of the one kAhead
  // later start coming now (its server's first lines, its query's record).
  constexpr std::size_t kAhead = 16;
  while (next_listed_ < listed_.size() && listed_[next_listed_].end <= t) {
    if (next_listed_ + kAhead < listed_.size()) {
      const Listed& a = listed_[next_listed_ + kAhead];
      a.server->prefetch_visit();
      tracker_->prefetch(a.query);
    }
    const Listed& d = listed_[next_listed_++];
    d.server->advance_to(d.end);  // (and its others due then: they come next in the list)
  }
  delivering_ = false;
  if (next_listed_ == listed_.size() && !listed_.empty()) {
    listed_.clear();
    listed_.shrink_to_fit();
    next_listed_ = 0;
  }
}

void CompletionFlusher::run() {
  for (;;) {
    const double due = next_.min();
    if (due == Server::kNever && !listed_.empty()) {  // a drain: once, at its last completion's time
      simgrid::s4u::this_actor::sleep_until(listed_.back().end);
      deliver_listed(Server::kNever);
      continue;
    }
    if (due == Server::kNever) {
      parked_ = true;
      simgrid::s4u::this_actor::suspend();
      continue;
    }
    const double now = simgrid::s4u::Engine::get_clock();
    if (due > now) {
      // The server due then is cold in a large fleet: its lines come while other events run.
      servers_[next_.argmin()]->prefetch_visit();
      sleeping_until_ = due;
      const bool timed_out = wake_->acquire_timeout(due - now);
      sleeping_until_ = std::numeric_limits<double>::infinity();
      if (!timed_out) {  // an earlier completion came in: look again
        wake_sent_ = false;
        continue;
      }
      if (next_.min() < due) continue;  // (a notify raced the timeout)
    }
    const std::size_t index = next_.argmin();  // the first server due then (as least_from(0), read at the root)
    Server& server = *servers_[index];
    server.advance_to(due);
    next_.set(index, server.next_completion());
  }
}

}  // namespace recsim
