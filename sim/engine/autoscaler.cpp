#include "sim/engine/autoscaler.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>

namespace recsim {

using Mode = ServerStates::Mode;

Autoscaler::Autoscaler(const AutoscalingSpec& spec, const Fleet& fleet, std::vector<std::unique_ptr<Server>>& servers,
                       std::vector<std::vector<GpuDevice*>> gpus_of, const Dispatcher& dispatcher, ServerStates& states)
    : spec_(spec),
      fleet_(fleet),
      servers_(servers),
      gpus_of_(std::move(gpus_of)),
      dispatcher_(dispatcher),
      states_(states),
      group_of_(fleet.groups.size(), -1),
      generation_(servers.size(), 0),
      recheck_s_(spec.interval_s / 1000) {
  for (const ScaledGroup& b : spec.groups) {
    Group g;
    g.bounds = b;
    g.rule = spec.make(b);
    for (std::size_t s = 0; s < servers.size(); ++s)
      if (servers[s]->host().group == b.group) g.servers.push_back(s);
    group_of_[static_cast<std::size_t>(b.group)] = static_cast<int>(groups_.size());
    groups_.push_back(std::move(g));
  }
}

void Autoscaler::push(double time, Kind kind, std::size_t server) { events_.push({time, seq_++, kind, server, generation_[server]}); }

void Autoscaler::start(simgrid::s4u::Host* home) {
  for (Group& g : groups_)
    for (std::size_t i = static_cast<std::size_t>(g.bounds.initial); i < g.servers.size(); ++i) move(g.servers[i], Mode::off, 0.0);
  push(spec_.interval_s, Kind::tick, 0);
  simgrid::s4u::Actor::create("autoscaler", home, [this] { run(); })->daemonize();
}

void Autoscaler::cpu_request(const RequestSpan& r) {
  const int g = group_of_[static_cast<std::size_t>(r.group)];
  if (g < 0) return;
  groups_[static_cast<std::size_t>(g)].cpu_work += (r.end - r.start) * r.cores;
  groups_[static_cast<std::size_t>(g)].cpu_total += (r.end - r.start) * r.cores;
}

void Autoscaler::cpu_request_cut(int, int group, double from, double to, int cores) {
  const int g = group_of_[static_cast<std::size_t>(group)];
  if (g < 0) return;
  groups_[static_cast<std::size_t>(g)].cpu_work -= (to - from) * cores;
  groups_[static_cast<std::size_t>(g)].cpu_total -= (to - from) * cores;
}

void Autoscaler::gpu_stage(const GpuStageSpan& s) {
  const int g = group_of_[static_cast<std::size_t>(s.group)];
  if (g < 0 || s.stage != 1) return;
  groups_[static_cast<std::size_t>(g)].gpu_work += s.end - s.start;
  groups_[static_cast<std::size_t>(g)].gpu_total += s.end - s.start;
}

void Autoscaler::move(std::size_t server, Mode mode, double now) {
  ++generation_[server];
  states_.set_mode(server, mode, now);
}

bool Autoscaler::idle(std::size_t server) const {
  if (dispatcher_.in_transit(server) > 0 || servers_[server]->idle_at() > simgrid::s4u::Engine::get_clock()) return false;
  for (const GpuDevice* g : gpus_of_[server])
    if (g->outstanding() > 0) return false;
  return true;
}

void Autoscaler::run() {
  for (;;) {
    const Event e = events_.top();
    events_.pop();
    if (e.time > simgrid::s4u::Engine::get_clock()) simgrid::s4u::this_actor::sleep_until(e.time);
    const double now = simgrid::s4u::Engine::get_clock();
    switch (e.kind) {
      case Kind::tick:
        for (Group& g : groups_) decide(g, now);
        push(now + spec_.interval_s, Kind::tick, 0);
        break;
      case Kind::off:
        if (e.generation != generation_[e.server] || states_.mode(e.server) != Mode::draining) break;
        if (idle(e.server))
          move(e.server, Mode::off, now);
        else
          events_.push({std::max(servers_[e.server]->idle_at(), now + recheck_s_), seq_++, Kind::off, e.server, e.generation});
        break;
      case Kind::ready:
        if (e.generation == generation_[e.server] && states_.mode(e.server) == Mode::booting) move(e.server, Mode::active, now);
        break;
    }
  }
}

void Autoscaler::decide(Group& g, double now) {
  const ServerGroup& group = fleet_.groups[static_cast<std::size_t>(g.bounds.group)];
  ScalingInput in;
  in.now = now;
  in.min = g.bounds.min;
  in.max = g.bounds.max;
  for (std::size_t s : g.servers) {
    const Mode m = states_.mode(s);
    if (!states_.faulted(s) && (m == Mode::active || m == Mode::booting)) ++in.current;
  }
  in.demand = g.cpu_work / (group.cpu_cores * spec_.interval_s);
  if (group.gpus > 0) in.demand = std::max(in.demand, g.gpu_work / (group.gpus * spec_.interval_s));
  in.demand = std::max(0.0, in.demand);  // a failure's cut of work counted in an earlier interval
  g.cpu_work = g.gpu_work = 0.0;
  const int desired = std::clamp(g.rule->desired(in), g.bounds.min, g.bounds.max);
  if (desired > in.current) scale_out(g, desired - in.current, now);
  if (desired < in.current) scale_in(g, in.current - desired, now);
}

void Autoscaler::scale_out(Group& g, int n, double now) {
  for (std::size_t s : g.servers)  // draining servers first: they are warm
    if (n > 0 && !states_.faulted(s) && states_.mode(s) == Mode::draining) {
      move(s, Mode::active, now);
      ++g.outs;
      --n;
    }
  for (std::size_t s : g.servers)
    if (n > 0 && !states_.faulted(s) && states_.mode(s) == Mode::off) {
      move(s, Mode::booting, now);
      push(now + spec_.startup_s, Kind::ready, s);
      ++g.outs;
      --n;
    }
}

void Autoscaler::scale_in(Group& g, int n, double now) {
  for (auto it = g.servers.rbegin(); it != g.servers.rend() && n > 0; ++it)  // booting servers first: they serve nothing yet
    if (!states_.faulted(*it) && states_.mode(*it) == Mode::booting) {
      move(*it, Mode::off, now);
      ++g.ins;
      --n;
    }
  for (auto it = g.servers.rbegin(); it != g.servers.rend() && n > 0; ++it)
    if (!states_.faulted(*it) && states_.mode(*it) == Mode::active) {
      move(*it, Mode::draining, now);
      push(std::max(now, servers_[*it]->idle_at()), Kind::off, *it);
      ++g.ins;
      --n;
    }
}

AutoscalingReport Autoscaler::report(double end) const {
  AutoscalingReport r;
  r.policy = spec_.policy;
  r.interval_s = spec_.interval_s;
  r.startup_s = spec_.startup_s;
  bool every_power = true, every_cost = true;
  double energy = 0, peak_energy = 0, cost = 0, peak_cost = 0;
  for (const Group& g : groups_) {
    const ServerGroup& group = fleet_.groups[static_cast<std::size_t>(g.bounds.group)];
    const ServerKind& kind = fleet_.kinds[static_cast<std::size_t>(group.kind)];
    ScaledGroupReport out;
    out.name = group.name;
    out.min = g.bounds.min;
    out.max = g.bounds.max;
    out.scale_outs = g.outs;
    out.scale_ins = g.ins;
    double powered = 0;
    for (std::size_t s : g.servers) powered += states_.powered_seconds(s, end);
    out.server_hours = powered / 3600.0;
    out.peak_server_hours = g.bounds.max * end / 3600.0;
    out.mean_servers = end > 0 ? powered / end : 0.0;
    if (kind.power) {
      // Linear in busy time (sim/metrics/power_model.h): idle power while powered, plus the busy
      // increments of the work done, which a fleet sized for the peak does too.
      const PowerSpec& p = *kind.power;
      const double idle_w = p.other_w + p.cpu_idle_w + group.gpus * p.gpu_idle_w;
      const double busy_j = (p.cpu_busy_w - p.cpu_idle_w) * g.cpu_total / group.cpu_cores + (p.gpu_busy_w - p.gpu_idle_w) * g.gpu_total;
      out.energy_kwh = (idle_w * powered + busy_j) / 3.6e6;
      out.peak_energy_kwh = (idle_w * g.bounds.max * end + busy_j) / 3.6e6;
      energy += *out.energy_kwh;
      peak_energy += *out.peak_energy_kwh;
    } else {
      every_power = false;
    }
    if (kind.cost_per_hour) {
      out.cost = *kind.cost_per_hour * out.server_hours;
      out.peak_cost = *kind.cost_per_hour * out.peak_server_hours;
      cost += *out.cost;
      peak_cost += *out.peak_cost;
    } else {
      every_cost = false;
    }
    r.server_hours += out.server_hours;
    r.peak_server_hours += out.peak_server_hours;
    r.groups.push_back(std::move(out));
  }
  if (every_power) {
    r.energy_kwh = energy;
    r.peak_energy_kwh = peak_energy;
  }
  if (every_cost) {
    r.cost = cost;
    r.peak_cost = peak_cost;
  }
  return r;
}

}  // namespace recsim
