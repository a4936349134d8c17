#pragma once
// The datacenter as the system under test: for each query, the balancer of its model picks one of
// the servers hosting that model; the query crosses the network to it (when there is one); the
// server's scheduling policy for that model on that server kind plans it (whole to the server's
// least busy GPU, or split into per-core requests); when its last request finishes, the response
// crosses back and the query completes. GPUs belong to their server.
//
// Completions are delivered lazily (each server at its next request, and all of them once arrivals
// end) unless something reads them as they happen: the network's response leg or an online climb;
// then the CompletionFlusher delivers each at its time (timely mode). A balancer that reads loads
// sees them current either way: power of two has the two servers it drew catch up, least_loaded
// every server due (an index of their next completions). Both give the same latencies.
#include "sim/balancing/balancer.h"
#include "sim/engine/completion_flusher.h"
#include "sim/engine/gpu_device.h"
#include "sim/engine/network_messages.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/engine/server.h"
#include "sim/engine/system_under_test.h"
#include "sim/scenario/fleet.h"
#include "sim/scheduling/scheduler_policy.h"

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace recsim {

class Dispatcher final : public SystemUnderTest {
 public:
  // `gpus_of`: per server, its GPUs. `live`: the online climb's configuration in force (read by
  // online policies). `weights`: per model, per hosting server, its capacity (BalancerView::weights).
  // A balancer that reads every load (least_loaded) sees them as of each arrival: the completions due
  // by then are delivered just before it chooses (through an index of the servers' next completion
  // times, O(log N) each), so arrivals need no clock; one that samples a few (power_of_two) has the
  // servers it drew catch up. `timely_completions`: the reference way instead (the flusher actor
  // delivers every completion at its time, to the end); the same choices, slower (tests compare).
  Dispatcher(const Fleet& fleet, const Platform& platform, std::vector<std::unique_ptr<Server>>& servers,
             std::vector<std::vector<GpuDevice*>> gpus_of, QueryTracker& tracker, Rng selection_rng,
             const TuneConfig& live, const std::vector<std::vector<double>>& weights, bool timely_completions = false);

  void issue(std::uint32_t slot, int model, int size, double now) override;

  // Failures (sim/failures/failure_injector.h): server `server` is up or down from now on; a down
  // server gets no queries (a balancer's draw that lands on one is drawn again).
  void set_up(std::size_t server, bool up);
  // Whether queries already sent to `server` can reach it (not failed, not cut off): a draining
  // server still takes the queries on their way to it; one that cannot be reached hands them to
  // on_unservable.
  void set_reachable(std::size_t server, bool reachable) {
    if (static_cast<bool>(reachable_[server]) == reachable) return;
    reachable_[server] = reachable ? 1 : 0;
    unreachable_ += reachable ? std::size_t(-1) : 1;
  }
  // Queries sent to `server` over the network and not yet there.
  std::uint32_t in_transit(std::size_t server) const { return in_transit_[server]; }
  // Where a query goes that cannot be served: no server of its model is up, or it reached a server
  // that went down (failures re-issue it). Without a handler it is lost.
  void on_unservable(std::function<void(std::uint32_t slot, double now)> handler) { unservable_ = std::move(handler); }
  // Failures read the clock: arrivals must interleave with failure events in time. (And the servers
  // change after the last arrival too: a lazy run's completions then go at their times to the end.)
  void need_clock() {
    needs_clock_ = true;
    scales_with_rate_ = false;
    servers_change_ = true;
  }
  bool needs_clock() const override { return needs_clock_; }
  // Lazy mode: the completions still due are delivered as a drain (CompletionFlusher::drain), or,
  // where the servers may still change, at their times (timely mode from now on).
  void arrivals_done() override;
  // Whether completions are delivered at their times throughout (sim/engine/server.h).
  bool timely() const { return timely_; }
  // Whether each server's (and single GPU's) offered work is the same at every rate for the same
  // seed: requests reach the servers at their arrival (no network), routed without reading loads
  // (one server per model, or a balancer that does not read them), by a plan that does not change
  // during the run (no online policy). Then a run's offered load scales exactly with the rate.
  bool offered_work_scales_with_rate() const { return scales_with_rate_; }

 private:
  struct Route {  // one model's balancer over the servers hosting it
    std::vector<std::size_t> servers;  // global indices
    bool every_server = false;         // servers[i] == i for every server of the fleet (none read)
    std::unique_ptr<ServerLoadIndex> loads;
    std::unique_ptr<Balancer> balancer;
    std::unique_ptr<BalancerView> view;
    std::vector<char> up;  // per entry of `servers`
    std::size_t up_count = 0;
  };
  void arrive(std::uint32_t slot, int model, int size, std::size_t server, double now);
  // The route's choice among the servers that are up; none when every one is down.
  std::optional<std::size_t> choose(Route& r);
  GpuDevice& least_busy_gpu(std::size_t server);

  const Fleet& fleet_;
  const Platform& platform_;
  std::vector<std::unique_ptr<Server>>& servers_;
  std::vector<std::vector<GpuDevice*>> gpus_of_;
  std::vector<std::size_t> next_gpu_;  // per server: where ties among its GPUs start
  QueryTracker& tracker_;
  Rng rng_;
  const TuneConfig& live_;
  std::vector<Route> routes_;
  std::vector<std::vector<QueryPlan (*)(const SchedulerSpec&, const TuneConfig&, int)>> plan_;  // [model][kind]
  std::unique_ptr<NetworkMessages> network_;
  std::vector<std::size_t> request_route_, response_route_;  // per server: its routes from and to the frontend
  std::unique_ptr<CompletionFlusher> flusher_;
  bool timely_ = false;
  bool needs_clock_ = true;
  bool servers_change_ = false;  // failures or scaling (need_clock)
  bool drained_ = false;         // arrivals_done drained the servers
  std::unique_ptr<ServerLoadIndex> next_completions_;  // per server, when it catches up before choosing
  bool scales_with_rate_ = false;
  double now_ = 0.0;  // the arrival being routed (for lazily refreshed loads)
  std::vector<char> up_;  // per server
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> entries_;  // per server: (route, index in it)
  std::vector<char> reachable_;
  std::size_t unreachable_ = 0;  // servers not reachable (reachable_ is read only while some are not)
  // servers_[s].get(), in one array: a large fleet's arrival reads it and the route's indices once
  // each at most (cold lines and pages: sim/engine/server.h).
  std::vector<Server*> objects_;
  std::vector<std::uint32_t> in_transit_;
  std::function<void(std::uint32_t, double)> unservable_;
};

}  // namespace recsim
