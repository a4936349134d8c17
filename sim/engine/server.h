#pragma once
// One simulated server: FIFO queues of requests in front of its CPU cores, advanced exactly without
// an actor per core. By default every core is a worker serving one request at a time, and the
// server's models share one queue over all of them. A model may instead be deployed on workers of
// its own (ModelDeployment: `instances` workers of `threads` cores each, a request's intra-op
// threads), with a queue of its own; the models without one share the cores left. Each queue is a
// pool: requests start in FIFO order, so each one's start is the later of its arrival and the
// earliest time one of the pool's workers is free (a heap of their free times), and starts never
// decrease; its end is its start plus its service time, drawn when it is queued and scaled by the
// contention factor of the cores busy at its start (the other cores, of every pool, whose worker's
// free time lies beyond that start). Within a pool this is exact, because every earlier request of
// the pool has already been placed; across pools it counts the requests placed so far, so a request
// of another pool queued after this one that starts before this one's start (this one waiting for
// its own workers) is not counted: contention is undercounted for requests that queue in a pool
// while another has free workers.
// Each request is of one model, served with that model's service-time model on this server's kind
// (for a model with intra-op threads, its curve at that many threads: sim/service/threaded_service.h).
//
// Completions are delivered (QueryTracker::request_finished with the request's exact end time) in
// end order by advance_to(t). Who calls it decides when: the server itself before each new request,
// or the dispatcher before a balancer reads its load (lazy mode: nothing outside reads completions
// as they happen), or the CompletionFlusher actor at each completion's virtual time (timely mode:
// when the network or an online climb needs them then). SimGrid keeps the clock; the server costs
// it no simcall of its own.
#include "sim/balancing/server_load_index.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/metrics/measurement_window.h"
#include "sim/service/core_history.h"
#include "sim/service/service_time_model.h"
#include "workloads/random_stream.h"

#include <cstdint>
#include <boost/container/small_vector.hpp>

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

namespace recsim {

class CompletionFlusher;

// How one model's CPU requests are served on a server: on the cores its models share, one request
// per core (instances 0), or on `instances` workers of its own, each running one request at a time
// on `threads` cores of its own (the request's intra-op threads).
struct ModelDeployment {
  int instances = 0;
  int threads = 1;
  std::string model;  // its name, for messages
};

class alignas(64) Server {
 public:
  // `services`: per model, its service-time model on this server (null for models it does not host).
  // `deployments`: per model (empty, or shorter: the rest share the cores); the dedicated cores must
  // fit the server's, leaving at least one where a hosted model shares them (the parser checks).
  Server(ServerHost host, std::vector<const ServiceTimeModel*> services, Rng service_rng, QueryTracker& tracker,
         const MeasurementWindow& metrics, const std::vector<ModelDeployment>& deployments = {});
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Keeps entry `entry` of `loads` equal to this server's load for `model` from now on (one index
  // per model the server hosts, each a balancer's view): the requests queued or in service in the
  // model's pool per worker. Needs timely mode to be exact.
  void report_load_to(ServerLoadIndex& loads, std::size_t entry, int model) {
    const int pool = pool_of_model_[static_cast<std::size_t>(model)];
    loads_.push_back({&loads, entry, pool});
    reports_ = true;
    loads.set(entry, load_of(pool));
  }
  // Keeps entry `entry` of `index` equal to next_completion() from now on (the dispatcher delivers
  // the completions due before a balancer reads every load).
  void report_next_completion_to(ServerLoadIndex& index, std::size_t entry) {
    next_index_ = &index;
    reports_ = true;
    next_entry_ = entry;
    next_reported_ = next_completion();
    index.set(entry, next_reported_);
  }
  // Timely mode from now on: `flusher` delivers this server's completions at their times.
  void deliver_through(CompletionFlusher& flusher, std::size_t index);
  // Enqueues one request of `items` items of query `slot` of `model`, arriving at `now` (the
  // engine's clock, or the arrival time when nothing reads the clock: SystemUnderTest::needs_clock).
  void submit(std::uint32_t slot, int items, int model, double now);
  // Delivers every completion with end <= t, in end order (ties: in the order they were queued).
  void advance_to(double t);
  // While one is alive, the server's load reaches the balancers' indexes once, when the last ends
  // (a query's requests placed one after another): a balancer reads them only at its next choice.
  class LoadBatch {
   public:
    explicit LoadBatch(Server& s) : s_(s) { ++s_.load_batches_; }
    ~LoadBatch() {
      if (--s_.load_batches_ == 0 && s_.load_pending_) {
        s_.load_pending_ = false;
        s_.load_changed();
      }
    }
    LoadBatch(const LoadBatch&) = delete;
    LoadBatch& operator=(const LoadBatch&) = delete;

   private:
    Server& s_;
  };
  // A balancer is about to read this server's load: starts fetching the lines that takes (its
  // header and its requests' heap top) so that two servers sampled together are fetched together.
  void prefetch_visit() const {
    const char* p = reinterpret_cast<const char*>(this);
    __builtin_prefetch(p);
    __builtin_prefetch(p + 64);
    __builtin_prefetch(p + 128);
    // The heap's control words and its first requests (its top and the top's children), from
    // offset 192 on: lines 3 and 4.
    const char* top = reinterpret_cast<const char*>(&pending_);
    __builtin_prefetch(top);
    __builtin_prefetch(top + 64);
  }
  // This server takes the next query's requests: starts fetching what submit() reads beyond its
  // first lines (its first pool's workers' free times, its random stream's position and the state
  // words it draws next), all at once: every address is known from the object's own.
  void prefetch_submit() const {
    const Pool& p = pools_.front();
    const char* free = reinterpret_cast<const char*>(p.free.data());
    const char* last = reinterpret_cast<const char*>(p.free.data() + p.free.size()) - 1;
    for (; free <= last; free += 64) __builtin_prefetch(free);
    __builtin_prefetch(last);
    const char* rng = reinterpret_cast<const char*>(&rng_);
    __builtin_prefetch(rng + sizeof(Rng) - 1);  // the engine's index, last
    __builtin_prefetch(rng + rng_next_ * sizeof(std::uint64_t));
    __builtin_prefetch(rng + rng_next_ * sizeof(std::uint64_t) + 64);
  }
  // Requests placed, undelivered.
  std::size_t pending() const { return pending_.size(); }
  // Calls f(end, query) for each undelivered request, in no particular order.
  template <class F>
  void for_each_pending(F f) const {
    for (const Request& r : pending_) f(r.end, r.query);
  }
  // End of the earliest undelivered request; +infinity when none.
  double next_completion() const { return pending_.empty() ? kNever : pending_.front().end; }

  const ServerHost& host() const { return host_; }
  // Requests queued or in service (undelivered) in pool `pool`, per worker: the load balancer's
  // measure (with one pool, per core; infinite while the server takes no queries).
  double load_of(int pool) const {
    if (!routable_) return kNever;
    if (one_pool_) return static_cast<double>(pending_.size()) / static_cast<double>(workers0_);
    const Pool& p = pools_[static_cast<std::size_t>(pool)];
    return static_cast<double>(p.pending) / static_cast<double>(p.free.size());
  }
  // Its load for `model`: its pool's (a model it hosts).
  double load_for(int model) const { return load_of(one_pool_ ? 0 : pool_of_model_[static_cast<std::size_t>(model)]); }
  // The host's group and kind (ServerHost's, on the object's first line).
  int group() const { return group_; }
  int kind() const { return kind_; }
  // Whether it takes new queries (the dispatcher's, from sim/engine/server_states.h).
  void set_routable(bool routable) {
    routable_ = routable;
    load_changed();
  }

  // Failures (sim/failures/failure_injector.h): the server goes down at `now`. Completions up to
  // `now` are delivered; every request still queued or in service is dropped (one in service counts
  // as busy up to `now`); returns the queries they belonged to, each once, in slot order.
  std::vector<std::uint32_t> fail(double now);
  // It is back at `now`, its cores free and cold (no recent sizes, idle since long ago).
  void recover(double now);
  // When its last placed request ends (now or earlier when it has none).
  double idle_at() const;
  std::uint64_t requests_served() const { return served_; }
  // Busy time of each core inside the measurement window up to `end`, counting requests still in
  // service then.
  std::vector<double> core_busy_seconds(double end) const;
  // Core time, contention included, of the requests of measured queries (the offered work; a
  // request on a worker of several cores counts each core).
  double offered_work_seconds() const;
  // The work offered to each pool of workers (the shared cores first, where any model shares them;
  // then each deployed model's), in worker-seconds, against its `workers`:
  //   work       the requests' times as served, contention included;
  //   square_sum the sum over measured queries of the square of each one's work (a query's requests
  //              come one after another, at its arrival time): the work sum's variance as a compound
  //              Poisson process;
  //   alone, all_busy  the same work at the requests' times alone and with every other core busy:
  //              bounds of the offered work that, unlike it, do not depend on the rate (capacity searches).
  struct PoolLoad {
    double work = 0.0, square_sum = 0.0, alone = 0.0, all_busy = 0.0;
    int workers = 0;
    std::string label;  // "" for a server whose models all share its cores; else which pool
  };
  std::vector<PoolLoad> pool_loads() const;
  // A 40-core server at 70% load holds about 30 requests; more than this many move to the heap.
  static constexpr std::size_t kInlineRequests = 48;
  // Servers of up to this many cores keep their cores' free and busy times inside the object, and of
  // up to this many models their service times.
  static constexpr std::size_t kInlineCores = 48;
  static constexpr std::size_t kInlineModels = 8;
  std::size_t pools() const { return pools_.size(); }

  static constexpr double kNever = std::numeric_limits<double>::infinity();

 private:
  struct Request {
    double start, end;
    std::uint64_t seq;
    std::uint32_t query;
    int core;
  };
  struct LaterEnd {
    bool operator()(const Request& a, const Request& b) const { return a.end > b.end || (a.end == b.end && a.seq > b.seq); }
  };
  struct CoreFree {
    double at;
    int core;  // the worker's first core
    bool operator>(const CoreFree& o) const { return at > o.at || (at == o.at && core > o.core); }
  };
  // The work offered to one pool (worker-seconds), as pool_loads() reports it.
  struct Offered {
    double work = 0.0;
    double square = 0.0;      // of the queries before the last one
    double query_work = 0.0;  // the last query's so far
    std::uint32_t slot = std::numeric_limits<std::uint32_t>::max();
    double at = -1.0;
    double alone = 0.0, all_busy = 0.0;
    int all_busy_items = -1, all_busy_model = -1;  // the last all-busy factor looked up
    double all_busy_factor = 1.0;
  };
  // Workers of `width` cores, cores first_core, first_core + 1, ... in order, with one FIFO queue.
  struct Pool {
    int width = 1;
    boost::container::small_vector<CoreFree, kInlineCores> free;  // each worker's free time, a min-heap (std::push_heap with std::greater)
    std::size_t pending = 0;     // requests placed, undelivered (kept with more than one pool)
    Offered offered;
    std::string label;
  };
  Request pop_earliest() {
    std::pop_heap(pending_.begin(), pending_.end(), LaterEnd());
    const Request r = pending_.back();
    pending_.pop_back();
    return r;
  }
  double busy_since_window(double start, double end) const;
  // Adds the request's busy time inside the window up to `until` to each core of its worker.
  void count_busy(const Request& r, double until);
  // The request left its pool (delivered or dropped).
  void leave_pool(const Request& r) {
    if (one_pool_) return;
    --pools_[pool_of_core_.empty() ? 0 : static_cast<std::size_t>(pool_of_core_[static_cast<std::size_t>(r.core)])].pending;
  }
  void load_changed() {
    if (!reports_) return;
    if (load_batches_ > 0) {
      load_pending_ = true;
      return;
    }
    for (const auto& l : loads_) l.index->set(l.entry, load_of(l.pool));
    if (next_index_ && next_completion() != next_reported_) {  // most requests queue behind the earliest
      next_reported_ = next_completion();
      next_index_->set(next_entry_, next_reported_);
    }
  }

  // What a visit reads, by line: a fleet of 100,000 servers touches each server's fields cold (from
  // memory, hundreds of nanoseconds a line on a VM), so the fields a visit reads lie together at the
  // object's start (a 64-byte-aligned class) and prefetch_visit() starts them all coming at once.
  // Line 0: a sampled server's load and its completions due (with the heap's top, below).
  QueryTracker& tracker_;
  CompletionFlusher* flusher_ = nullptr;
  const MeasurementWindow& metrics_;
  std::uint64_t seq_ = 0;
  std::uint64_t served_ = 0;
  int workers0_ = 1;                // pool 0's workers (with one pool, its load is pending_.size() / workers0_)
  int load_batches_ = 0;            // LoadBatch objects alive
  int group_ = 0, kind_ = 0;        // the host's (copies: read at every query)
  int cores_;                       // the host's CPU cores
  bool one_pool_ = true;            // pools_.size() == 1: Pool::pending unused (it is pending_.size())
  bool reports_ = false;            // loads_ or next_index_ set (some index follows this server)
  bool load_pending_ = false;       // a change not yet in the indexes
  bool routable_ = true;
  std::uint16_t rng_next_ = 0;      // rng_'s next state word (prefetch_submit; any value is safe)
  // Line 1 (from byte 64): a request placed and a completion delivered.
  bool single_cores_ = true;        // every worker one core
  std::vector<CoreHistory> history_;  // per core: what it served lately (after-idle and cold-size slowdowns)
  // Then the requests placed, undelivered: a heap by LaterEnd (std::push_heap, std::pop_heap), its
  // first kInlineRequests inside the object (a longer heap moves out); its control words and top on
  // lines 1 and 2.
  boost::container::small_vector<Request, kInlineRequests> pending_;
  // Then what placing a request reads, inside the object (for up to kInlineModels models and servers
  // of up to kInlineCores cores), so that it lies on pages already walked, at addresses known
  // without a load: per model hosted, its service times and pool (others: null and 0, never used);
  // the pools (the first inside the object, with its workers' free times); each core's busy time
  // inside the measurement window (delivered requests).
  boost::container::small_vector<const ServiceTimeModel*, kInlineModels> services_;
  boost::container::small_vector<int, kInlineModels> pool_of_model_;
  boost::container::small_vector<Pool, 1> pools_;
  boost::container::small_vector<double, kInlineCores> core_busy_;
  // The rest:
  std::vector<int> pool_of_core_;   // per core: its pool (empty with one pool)
  struct LoadEntry {
    ServerLoadIndex* index;
    std::size_t entry;
    int pool;
  };
  std::vector<LoadEntry> loads_;
  ServerLoadIndex* next_index_ = nullptr;
  std::size_t next_entry_ = 0;
  double next_reported_ = kNever;
  std::size_t flusher_index_ = 0;
  std::vector<int> core_width_;  // per core: the width of the worker it starts (0 for the others)
  ServerHost host_;
  // Last: its 2.5 KB state would push every field after it onto lines of their own.
  Rng rng_;
};

}  // namespace recsim
