#include "sim/engine/server.h"

#include "sim/engine/completion_flusher.h"

#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace recsim {

namespace {

// The index of the engine's next state word: Boost's mt19937_64 keeps it after its 312 words. A hint
// for Server::prefetch_submit only, clamped into the state (312: the next draw regenerates it all).
std::uint16_t next_word(const Rng& rng) {
  static_assert(sizeof(Rng) == 312 * sizeof(std::uint64_t) + sizeof(std::size_t));
  std::size_t i = 0;
  std::memcpy(&i, reinterpret_cast<const char*>(&rng) + sizeof(Rng) - sizeof(i), sizeof(i));
  return static_cast<std::uint16_t>(std::min<std::size_t>(i, 311));
}

}  // namespace

Server::Server(ServerHost host, std::vector<const ServiceTimeModel*> services, Rng service_rng, QueryTracker& tracker,
               const MeasurementWindow& metrics, const std::vector<ModelDeployment>& deployments)
    : tracker_(tracker),
      metrics_(metrics),
      group_(host.group),
      kind_(host.kind),
      cores_(host.cpu_cores),
      history_(static_cast<std::size_t>(host.cpu_cores)),
      services_(services.begin(), services.end()),
      pool_of_model_(services.size(), 0),
      core_busy_(static_cast<std::size_t>(host.cpu_cores), 0.0),
      core_width_(static_cast<std::size_t>(host.cpu_cores), 1),
      host_(std::move(host)),
      rng_(std::move(service_rng)) {
  // The shared pool takes the first cores; the deployed models' workers the next ones, in model
  // order; any left over stay idle (no model shares them).
  int dedicated = 0;
  bool shares = false;
  for (std::size_t m = 0; m < services_.size(); ++m) {
    if (!services_[m]) continue;
    const bool own = m < deployments.size() && deployments[m].instances > 0;
    if (own) dedicated += deployments[m].instances * deployments[m].threads;
    else shares = true;
  }
  const int shared = host_.cpu_cores - dedicated;
  if (shared < 0 || (shares && shared == 0))
    throw std::logic_error("server " + host_.name + ": the models' instances do not fit its cores");
  const bool deployed = dedicated > 0;
  if (shares || !deployed) {
    Pool p;
    for (int c = 0; c < shared; ++c) p.free.push_back({0.0, c});  // sorted: already a heap
    if (deployed) p.label = "the cores its models share";
    pools_.push_back(std::move(p));
  }
  int core = shared;
  for (std::size_t m = 0; m < services_.size(); ++m) {
    if (!services_[m] || m >= deployments.size() || deployments[m].instances <= 0) continue;
    const ModelDeployment& d = deployments[m];
    Pool p;
    p.width = d.threads;
    for (int w = 0; w < d.instances; ++w, core += d.threads) {
      p.free.push_back({0.0, core});
      core_width_[static_cast<std::size_t>(core)] = d.threads;
      for (int k = 1; k < d.threads; ++k) core_width_[static_cast<std::size_t>(core + k)] = 0;
    }
    p.label = d.model + "'s " + std::to_string(d.instances) + (d.instances == 1 ? " instance" : " instances");
    if (d.threads > 1) single_cores_ = false;
    pool_of_model_[m] = static_cast<int>(pools_.size());
    pools_.push_back(std::move(p));
  }
  one_pool_ = pools_.size() == 1;
  workers0_ = static_cast<int>(pools_.front().free.size());
  if (pools_.size() > 1) {
    pool_of_core_.assign(static_cast<std::size_t>(host_.cpu_cores), 0);
    for (std::size_t p = 0; p < pools_.size(); ++p)
      for (const CoreFree& w : pools_[p].free)
        for (int k = 0; k < pools_[p].width; ++k) pool_of_core_[static_cast<std::size_t>(w.core + k)] = static_cast<int>(p);
  }
}

void Server::deliver_through(CompletionFlusher& flusher, std::size_t index) {
  flusher_ = &flusher;
  flusher_index_ = index;
  if (!pending_.empty()) flusher.notify(index, pending_.front().end);
}

void Server::submit(std::uint32_t slot, int items, int model, double now) {
  if (!flusher_) advance_to(now);  // lazy mode: what finished before this arrival leaves first
  const ServiceTimeModel& service = *services_[static_cast<std::size_t>(model)];
  Pool& pool = one_pool_ ? pools_.front() : pools_[static_cast<std::size_t>(pool_of_model_[static_cast<std::size_t>(model)])];
  // FIFO over the pool's identical workers: the earliest-free one takes it, when it is free and the
  // request has arrived.
  std::pop_heap(pool.free.begin(), pool.free.end(), std::greater<CoreFree>());
  const CoreFree core = pool.free.back();
  pool.free.pop_back();
  {  // its core's history, fetched while the time is drawn
    const char* h = reinterpret_cast<const char*>(&history_[static_cast<std::size_t>(core.core)]);
    __builtin_prefetch(h);
    __builtin_prefetch(h + sizeof(CoreHistory) - 1);
  }
  const double seconds = service.sample_seconds(items, rng_);
  rng_next_ = next_word(rng_);
  const double start = std::max(now, core.at);
  // A request that finds its core idle (free before it arrived) pays the wake-up and the caches the
  // pause cooled, and leaves part of that to the requests after it in the busy period; one of a size
  // (or model) its core has not run lately pays for its primitives and buffers back in the caches.
  double factor = 1.0;
  if (service.history_dependent())
    factor = history_[static_cast<std::size_t>(core.core)].next(service, model, items, core.at <= now ? now - core.at : -1.0).factor();
  const int others = cores_ - pool.width;  // the cores outside its worker
  if (service.contended() && others > 0) {
    // The other cores busy at its start: those of workers free only after it (every earlier request
    // is placed).
    int busy = 0;
    for (const Pool& p : pools_) {
      int workers = 0;
      for (const CoreFree& c : p.free) workers += c.at > start ? 1 : 0;
      busy += workers * p.width;
    }
    factor *= service.contention_factor(items, static_cast<double>(busy) / others, cores_);
  }
  const double end = start + seconds * factor;
  // The work offered is the worker time the request takes as served, contention included: in an
  // overloaded pool every worker is busy, so an overload shows at the all-busy service times.
  if (metrics_.window_open()) {
    Offered& o = pool.offered;
    o.work += seconds * factor;
    // A query's requests come one after another at one time; a slot is reused only by a later query.
    if (slot != o.slot || now != o.at) {
      o.square += o.query_work * o.query_work;
      o.query_work = 0.0;
      o.slot = slot;
      o.at = now;
    }
    o.query_work += seconds * factor;
    o.alone += seconds;
    if (service.contended() && others > 0) {
      // Most requests of a run have the batch size's items: one curve lookup per distinct size.
      if (items != o.all_busy_items || model != o.all_busy_model) {
        o.all_busy_items = items;
        o.all_busy_model = model;
        o.all_busy_factor = service.contention_factor(items, 1.0, cores_);
      }
      o.all_busy += seconds * o.all_busy_factor;
    } else {
      o.all_busy += seconds;
    }
  }
  pool.free.push_back({end, core.core});
  std::push_heap(pool.free.begin(), pool.free.end(), std::greater<CoreFree>());
  tracker_.request_placed(slot, core.core, pool.width, start, end);
  const bool earliest = pending_.empty() || end < pending_.front().end;
  pending_.push_back({start, end, seq_++, slot, core.core});
  std::push_heap(pending_.begin(), pending_.end(), LaterEnd());
  if (!one_pool_) ++pool.pending;
  load_changed();
  if (flusher_ && earliest) flusher_->notify(flusher_index_, end);
}

double Server::offered_work_seconds() const {
  double w = 0.0;
  for (const Pool& p : pools_) w += p.width * p.offered.work;
  return w;
}

std::vector<Server::PoolLoad> Server::pool_loads() const {
  std::vector<PoolLoad> out;
  for (const Pool& p : pools_) {
    const Offered& o = p.offered;
    out.push_back({o.work, o.square + o.query_work * o.query_work, o.alone, o.all_busy, static_cast<int>(p.free.size()), p.label});
  }
  return out;
}

void Server::count_busy(const Request& r, double until) {
  const double busy = busy_since_window(r.start, until);
  if (single_cores_) {
    core_busy_[static_cast<std::size_t>(r.core)] += busy;
    return;
  }
  const int width = core_width_[static_cast<std::size_t>(r.core)];
  for (int k = 0; k < width; ++k) core_busy_[static_cast<std::size_t>(r.core + k)] += busy;
}

void Server::advance_to(double t) {
  const LoadBatch batch(*this);  // the loads change once, after every completion due
  while (!pending_.empty() && pending_.front().end <= t) {
    const Request r = pop_earliest();
    tracker_.prefetch(r.query);  // fetched while the core's busy time is read
    count_busy(r, r.end);
    leave_pool(r);
    ++served_;
    load_changed();
    tracker_.request_finished(r.query, r.end);
  }
}

std::vector<std::uint32_t> Server::fail(double now) {
  advance_to(now);
  std::vector<std::uint32_t> caught;
  while (!pending_.empty()) {
    const Request r = pop_earliest();
    if (r.start < now) count_busy(r, now);
    leave_pool(r);
    tracker_.request_cut(r.query, std::max(r.start, now), r.end, single_cores_ ? 1 : core_width_[static_cast<std::size_t>(r.core)]);
    caught.push_back(r.query);
  }
  std::sort(caught.begin(), caught.end());
  caught.erase(std::unique(caught.begin(), caught.end()), caught.end());
  for (Pool& p : pools_) {
    for (CoreFree& c : p.free) c.at = std::min(c.at, now);  // the dropped work no longer holds the cores
    std::make_heap(p.free.begin(), p.free.end(), std::greater<CoreFree>());
  }
  load_changed();
  return caught;
}

void Server::recover(double now) {
  for (Pool& p : pools_) {
    for (CoreFree& c : p.free) c.at = now;
    std::make_heap(p.free.begin(), p.free.end(), std::greater<CoreFree>());
  }
  for (CoreHistory& h : history_) h = CoreHistory();
  load_changed();
}

double Server::idle_at() const {
  double t = 0.0;
  for (const Pool& p : pools_)
    for (const CoreFree& c : p.free) t = std::max(t, c.at);
  return t;
}

double Server::busy_since_window(double start, double end) const {
  if (!metrics_.window_open()) return 0.0;
  return std::max(0.0, end - std::max(start, metrics_.window_start()));
}

std::vector<double> Server::core_busy_seconds(double end) const {
  std::vector<double> busy(core_busy_.begin(), core_busy_.end());
  // Requests in service at `end` count up to it, queued ones not at all; added in end order, as
  // they would be delivered.
  std::vector<Request> in_order(pending_.begin(), pending_.end());
  std::sort(in_order.begin(), in_order.end(), [](const Request& a, const Request& b) { return LaterEnd()(b, a); });
  for (const Request& r : in_order) {
    if (r.start < end) {
      const double b = busy_since_window(r.start, std::min(r.end, end));
      const int width = single_cores_ ? 1 : core_width_[static_cast<std::size_t>(r.core)];
      for (int k = 0; k < width; ++k) busy[static_cast<std::size_t>(r.core + k)] += b;
    }
  }
  return busy;
}

}  // namespace recsim
