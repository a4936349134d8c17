#include "sim/engine/dispatcher.h"

#include "sim/scheduling/static_policy.h"

#include <simgrid/s4u/Engine.hpp>

#include <cmath>
#include <stdexcept>

namespace recsim {

Dispatcher::Dispatcher(const Fleet& fleet, const Platform& platform, std::vector<std::unique_ptr<Server>>& servers,
                       std::vector<std::vector<GpuDevice*>> gpus_of, QueryTracker& tracker, Rng selection_rng,
                       const TuneConfig& live, const std::vector<std::vector<double>>& weights, bool timely_completions)
    : fleet_(fleet),
      platform_(platform),
      servers_(servers),
      gpus_of_(std::move(gpus_of)),
      next_gpu_(servers.size(), 0),
      tracker_(tracker),
      rng_(std::move(selection_rng)),
      live_(live),
      up_(servers.size(), 1),
      reachable_(servers.size(), 1),
      in_transit_(servers.size(), 0),
      unservable_([this](std::uint32_t slot, double now) {
        tracker_.abort(slot);
        tracker_.lose(slot, now);
      }) {
  const BalancerPolicy& policy = balancer_policy(fleet.balancer);
  for (const auto& server : servers_) objects_.push_back(server.get());
  for (std::size_t m = 0; m < fleet.models.size(); ++m) {
    const FleetModel& model = fleet.models[m];
    Route r;
    for (std::size_t s = 0; s < servers_.size(); ++s)
      for (int g : model.groups)
        if (servers_[s]->host().group == g) r.servers.push_back(s);
    r.every_server = r.servers.size() == servers_.size();
    for (std::size_t i = 0; i < r.servers.size() && r.every_server; ++i) r.every_server = r.servers[i] == i;
    // (An empty index for a policy that samples loads: it reads them from the servers, load_now.)
    r.loads = std::make_unique<ServerLoadIndex>(policy.samples_loads ? 0 : r.servers.size());
    r.balancer = policy.make(r.servers.size());
    r.view = std::make_unique<BalancerView>(BalancerView{*r.loads, {}, m < weights.size() ? weights[m] : std::vector<double>{}, rng_, {}, {}});
    // Servers keep the load index current (O(log N) per request) only for a policy that reads every
    // load; one that samples a few reads them from the servers (load_now, below).
    const bool reads_loads = r.servers.size() > 1 && policy.reads_loads && !policy.samples_loads;
    r.up.assign(r.servers.size(), 1);
    r.up_count = r.servers.size();
    for (std::size_t i = 0; i < r.servers.size(); ++i) {
      Server& server = *servers_[r.servers[i]];
      if (reads_loads) server.report_load_to(*r.loads, i, static_cast<int>(m));
      r.view->cores.push_back(server.host().cpu_cores);
    }
    routes_.push_back(std::move(r));
    std::vector<QueryPlan (*)(const SchedulerSpec&, const TuneConfig&, int)> plans;
    for (const auto& spec : model.scheduler) plans.push_back(scheduler_policy(spec.policy).plan);
    plan_.push_back(std::move(plans));
  }
  bool online = false;
  for (const auto& model : fleet.models)
    for (const auto& spec : model.scheduler) online = online || scheduler_policy(spec.policy).online;
  bool shared_loads = false, routed_by_load = false;
  for (const auto& r : routes_) {
    shared_loads = shared_loads || (policy.reads_loads && !policy.samples_loads && r.servers.size() > 1);
    routed_by_load = routed_by_load || (policy.reads_loads && r.servers.size() > 1);
  }
  const NetworkSpec& net = fleet.network;
  timely_ = net.enabled || online || timely_completions;
  if (shared_loads && !timely_) {
    next_completions_ = std::make_unique<ServerLoadIndex>(servers_.size());
    for (std::size_t s = 0; s < servers_.size(); ++s) servers_[s]->report_next_completion_to(*next_completions_, s);
  }
  scales_with_rate_ = !net.enabled && !online && !routed_by_load;
  flusher_ = std::make_unique<CompletionFlusher>(platform.frontend, servers_);
  flusher_->start();
  if (timely_)
    for (std::size_t s = 0; s < servers_.size(); ++s) servers_[s]->deliver_through(*flusher_, s);
  if (policy.samples_loads)
    for (std::size_t m = 0; m < routes_.size(); ++m) {
      Route& r = routes_[m];
      r.view->load_now = [this, &r, m](std::size_t i) {
        Server& server = *objects_[r.every_server ? i : r.servers[i]];
        if (!timely_) server.advance_to(now_);  // lazy mode: what finished by this arrival leaves first
        return server.load_for(static_cast<int>(m));
      };
      r.view->will_sample = [this, &r](std::size_t i) { objects_[r.every_server ? i : r.servers[i]]->prefetch_visit(); };
    }
  bool gpus = false;
  for (const auto& g : gpus_of_) gpus = gpus || !g.empty();
  needs_clock_ = timely_ || gpus;
  if (net.enabled) {
    network_ = std::make_unique<NetworkMessages>(platform.frontend, net.flow_model);
    for (const auto& server : servers_) {
      request_route_.push_back(network_->route_id(platform.frontend, server->host().host));
      response_route_.push_back(network_->route_id(server->host().host, platform.frontend));
    }
    tracker_.on_departure([this, &net](std::uint32_t slot, double) {
      const int size = tracker_.size(slot);
      const auto bytes = static_cast<std::uint64_t>(std::ceil(net.response_bytes + net.response_bytes_per_item * size));
      network_->send(response_route_[static_cast<std::size_t>(tracker_.server(slot))], bytes,
                     [this, slot] { tracker_.complete(slot, simgrid::s4u::Engine::get_clock()); });
    });
  }
}

void Dispatcher::set_up(std::size_t server, bool up) {
  if (static_cast<bool>(up_[server]) == up) return;
  up_[server] = up ? 1 : 0;
  servers_[server]->set_routable(up);
  if (entries_.empty()) {  // first change: where each server sits in the routes
    entries_.resize(servers_.size());
    for (std::size_t r = 0; r < routes_.size(); ++r)
      for (std::size_t i = 0; i < routes_[r].servers.size(); ++i) entries_[routes_[r].servers[i]].emplace_back(r, i);
  }
  for (const auto& [r, i] : entries_[server]) {
    Route& route = routes_[r];
    route.up[i] = up ? 1 : 0;
    route.up_count += up ? 1 : std::size_t(-1);
    // The balancer sees which are up only while some are not (the common case pays nothing).
    route.view->up = route.up_count < route.servers.size() ? &route.up : nullptr;
    route.view->up_count = route.up_count;
  }
}

std::optional<std::size_t> Dispatcher::choose(Route& r) {
  // Every policy chooses among the servers up (sim/balancing/balancer.h); none up: nothing to choose.
  if (r.up_count == 0) return std::nullopt;
  if (r.servers.size() == 1) return r.servers.front();
  const std::size_t i = r.balancer->choose(*r.view);
  return r.every_server ? i : r.servers[i];
}

void Dispatcher::issue(std::uint32_t slot, int model, int size, double now) {
  now_ = now;
  if (next_completions_)
    while (next_completions_->min() <= now) servers_[next_completions_->argmin()]->advance_to(now);
  Route& r = routes_[static_cast<std::size_t>(model)];
  const std::optional<std::size_t> chosen = choose(r);
  if (!chosen) {
    unservable_(slot, now);
    return;
  }
  const std::size_t server = *chosen;
  if (!network_) {
    arrive(slot, model, size, server, now);
    return;
  }
  const NetworkSpec& net = fleet_.network;
  const auto bytes = static_cast<std::uint64_t>(std::ceil(net.request_bytes + net.request_bytes_per_item * size));
  ++in_transit_[server];
  network_->send(request_route_[server], bytes, [this, slot, model, size, server] {
    --in_transit_[server];
    arrive(slot, model, size, server, simgrid::s4u::Engine::get_clock());
  });
}

void Dispatcher::arrivals_done() {
  if (timely_) return;
  if (servers_change_) {  // a failure or a scaling move may still come: each completion at its time
    timely_ = true;
    for (std::size_t s = 0; s < servers_.size(); ++s) servers_[s]->deliver_through(*flusher_, s);
    return;
  }
  drained_ = true;
  flusher_->drain(tracker_);
}

GpuDevice& Dispatcher::least_busy_gpu(std::size_t server) {
  // Fewest queries queued or in progress; ties go to the first at or after a rotating start.
  const auto& gpus = gpus_of_[server];
  std::size_t& start = next_gpu_[server];
  const std::size_t n = gpus.size();
  std::size_t best = start;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t i = (start + k) % n;
    if (gpus[i]->outstanding() < gpus[best]->outstanding()) best = i;
  }
  start = (start + 1) % n;
  return *gpus[best];
}

void Dispatcher::arrive(std::uint32_t slot, int model, int size, std::size_t server, double now) {
  if (unreachable_ > 0 && !reachable_[server]) {  // it went down while the query crossed the network
    unservable_(slot, now);
    return;
  }
  if (drained_) throw std::logic_error("a query reached a server after the last arrival's drain");
  Server& s = *objects_[server];
  s.prefetch_submit();
  tracker_.at_server(slot, now, s.group(), static_cast<int>(server));
  const auto kind = static_cast<std::size_t>(s.kind());
  const auto m = static_cast<std::size_t>(model);
  const QueryPlan plan = plan_[m][kind](fleet_.models[m].scheduler[kind], live_, size);
  if (plan.to_gpu && !gpus_of_[server].empty()) {
    tracker_.add_requests(slot, 1);
    least_busy_gpu(server).submit(slot, size, model);
    return;
  }
  const StaticPolicy split(plan.batch_size);
  const int requests = split.request_count(size);
  tracker_.add_requests(slot, requests);
  const Server::LoadBatch batch(s);  // the balancers see the query's requests at once
  for (int r = 0; r < requests; ++r) s.submit(slot, split.request_items(size, r), model, now);
}

}  // namespace recsim
