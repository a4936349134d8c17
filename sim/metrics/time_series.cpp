#include "sim/metrics/time_series.h"

#include "sim/metrics/power_model.h"

#include <algorithm>
#include <cmath>

namespace recsim {

TimeSeries::TimeSeries(double window_s, const Fleet& fleet) : window_s_(window_s), fleet_(fleet) {}

void TimeSeries::add(Window& into, const Window& from) {
  into.arrived += from.arrived;
  into.completed += from.completed;
  into.lost += from.lost;
  into.retried += from.retried;
  into.in_system_area += from.in_system_area;
  for (std::size_t g = 0; g < into.cpu_busy.size(); ++g) {
    into.cpu_busy[g] += from.cpu_busy[g];
    into.gpu_busy[g] += from.gpu_busy[g];
    into.down[g] += from.down[g];
    into.off[g] += from.off[g];
  }
  for (std::size_t m = 0; m < into.latency.size(); ++m) into.latency[m].merge(from.latency[m]);
}

std::size_t TimeSeries::index_of(double t) const { return static_cast<std::size_t>(std::max(0.0, std::floor(t / window_s_))); }

TimeSeries::Window TimeSeries::blank() const {
  Window w;
  w.cpu_busy.assign(fleet_.groups.size(), 0.0);
  w.gpu_busy.assign(fleet_.groups.size(), 0.0);
  w.down.assign(fleet_.groups.size(), 0.0);
  w.off.assign(fleet_.groups.size(), 0.0);
  w.latency.resize(fleet_.models.size());
  return w;
}

TimeSeries::Window& TimeSeries::at(std::size_t index) {
  while (windows_.size() <= index) windows_.push_back(blank());
  return windows_[index];
}

template <typename Add>
void TimeSeries::spread(double start, double end, Add add) {
  if (!(end > start)) return;
  for (std::size_t k = index_of(start);; ++k) {
    const double lo = std::max(start, static_cast<double>(k) * window_s_);
    const double hi = std::min(end, static_cast<double>(k + 1) * window_s_);
    if (hi > lo) add(at(k), hi - lo);
    if (static_cast<double>(k + 1) * window_s_ >= end) break;
  }
}

void TimeSeries::arrived(std::uint64_t, double now, int) { ++at(index_of(now)).arrived; }

void TimeSeries::completed(std::uint64_t, const QueryTimes& t, int model, int, int) {
  Window& w = at(index_of(t.completion));
  ++w.completed;
  w.latency[static_cast<std::size_t>(model)].add(t.completion - t.arrival);
  spread(t.arrival, t.completion, [](Window& x, double s) { x.in_system_area += s; });
}

void TimeSeries::cpu_request(const RequestSpan& r) {
  const auto g = static_cast<std::size_t>(r.group);
  spread(r.start, r.end, [g, cores = r.cores](Window& x, double s) { x.cpu_busy[g] += s * cores; });
}

void TimeSeries::gpu_stage(const GpuStageSpan& st) {
  if (st.stage != 1) return;  // utilisation is the kernels' busy time, as in the end-of-run results
  const auto g = static_cast<std::size_t>(st.group);
  spread(st.start, st.end, [g](Window& x, double s) { x.gpu_busy[g] += s; });
}

void TimeSeries::cpu_request_cut(int, int group, double from, double to, int cores) {
  spread(from, to, [group, cores](Window& x, double s) { x.cpu_busy[static_cast<std::size_t>(group)] -= s * cores; });
}

void TimeSeries::lost(std::uint64_t, double arrival, double now, int, bool) {
  ++at(index_of(now)).lost;
  spread(arrival, now, [](Window& x, double s) { x.in_system_area += s; });
}

void TimeSeries::retried(std::uint64_t, double now, int) { ++at(index_of(now)).retried; }

void TimeSeries::close_down(std::size_t server, double now) {
  const ServerState& s = servers_[server];
  if (s.up) return;
  const auto g = static_cast<std::size_t>(s.group);
  const bool off = !s.powered;
  spread(s.since, now, [g, off](Window& x, double t) {
    x.down[g] += t;
    if (off) x.off[g] += t;
  });
}

void TimeSeries::server_state(int server, int group, double now, bool up, bool powered) {
  const auto index = static_cast<std::size_t>(server);
  if (servers_.size() <= index) servers_.resize(index + 1);
  close_down(index, now);
  servers_[index] = {up, powered, group, now};
}

TimeSeriesReport TimeSeries::report(double end, double measurement_start) {
  for (std::size_t s = 0; s < servers_.size(); ++s) {
    close_down(s, end);
    servers_[s].since = end;
  }
  // Events at the very end (t = end a whole number of windows) belong to the last window.
  const std::size_t last = end > 0.0 ? static_cast<std::size_t>(std::ceil(end / window_s_ - 1e-12)) : 0;
  for (std::size_t k = last; last > 0 && k < windows_.size() && static_cast<double>(k) * window_s_ <= end * (1 + 1e-12); ++k) {
    add(at(last - 1), windows_[k]);
    windows_[k] = blank();
  }
  TimeSeriesReport r;
  r.window_s = window_s_;
  r.measurement_start_s = measurement_start;
  const std::size_t count = end > 0.0 ? static_cast<std::size_t>(std::ceil(end / window_s_ - 1e-12)) : 0;
  const Window empty = blank();
  std::uint64_t arrived_so_far = 0, left_so_far = 0, completed_all = 0, completed_missed = 0;
  double worst_ratio = -1.0;
  for (std::size_t k = 0; k < count; ++k) {  // what lies past the end (a stopped run's placed requests) is not reported
    const Window& w = k < windows_.size() ? windows_[k] : empty;
    SeriesWindow out;
    out.start_s = static_cast<double>(k) * window_s_;
    out.end_s = std::min(static_cast<double>(k + 1) * window_s_, end);
    const double length = out.end_s - out.start_s;
    arrived_so_far += w.arrived;
    left_so_far += w.completed + w.lost;
    out.arrived = w.arrived;
    out.completed = w.completed;
    out.lost = w.lost;
    out.retried = w.retried;
    out.offered_qps = length > 0 ? static_cast<double>(w.arrived) / length : 0.0;
    out.served_qps = length > 0 ? static_cast<double>(w.completed) / length : 0.0;
    out.in_system = arrived_so_far - left_so_far;
    out.mean_in_system = length > 0 ? static_cast<double>(w.in_system_area / length) : 0.0;

    WindowHistogram all;
    double ratio = -1.0;
    bool met = true;
    for (std::size_t m = 0; m < fleet_.models.size(); ++m) {
      const WindowHistogram& h = w.latency[m];
      const SlaSpec& sla = fleet_.models[m].sla;
      WindowModel wm;
      wm.name = fleet_.models[m].name;
      wm.completed = h.count();
      if (h.count() > 0) {
        all.merge(h);
        wm.observed_ms = h.percentile(sla.percentile) * 1e3;
        wm.met = *wm.observed_ms <= sla.target_ms;
        met = met && *wm.met;
        const double x = *wm.observed_ms / sla.target_ms;
        if (x > ratio) {
          ratio = x;
          out.sla_observed_ms = wm.observed_ms;
          out.sla_target_ms = sla.target_ms;
          out.sla_model = wm.name;
        }
      }
      out.models.push_back(std::move(wm));
    }
    if (all.count() > 0) {
      out.latency_ms = WindowLatency{all.mean() * 1e3, all.percentile(50) * 1e3, all.percentile(95) * 1e3,
                                     all.percentile(99) * 1e3, all.max() * 1e3};
      out.sla_met = met;
      ++r.summary.judged;
      completed_all += w.completed;
      if (met) {
        ++r.summary.met;
      } else {
        completed_missed += w.completed;
        if (!r.summary.first_missed_s) r.summary.first_missed_s = out.start_s;
      }
      if (ratio > worst_ratio) {
        worst_ratio = ratio;
        r.summary.worst = k;
      }
    }

    double busy_cores = 0, cores = 0, busy_gpus = 0, gpus = 0, power = 0;
    bool every_power = true;
    for (std::size_t g = 0; g < fleet_.groups.size(); ++g) {
      const ServerGroup& group = fleet_.groups[g];
      WindowGroup wg;
      wg.name = group.name;
      // Servers up on average over the window; utilisation over the cores and GPUs that were up.
      wg.servers_up = length > 0 ? std::max(0.0, group.count - w.down[g] / length) : group.count;
      const double group_cores = wg.servers_up * group.cpu_cores, group_gpus = wg.servers_up * group.gpus;
      const double u_cpu = length > 0 && group_cores > 0 ? std::max(0.0, w.cpu_busy[g]) / (group_cores * length) : 0.0;
      wg.cpu_utilization = u_cpu;
      const double u_gpu = length > 0 && group_gpus > 0 ? w.gpu_busy[g] / (group_gpus * length) : 0.0;
      if (group.gpus > 0) wg.gpu_utilization = u_gpu;
      const auto& spec = fleet_.kinds[static_cast<std::size_t>(group.kind)].power;
      if (spec) {
        // Linear in utilisation (power_model.h): the mean power of its servers up over the window,
        // plus those cut off the network (powered, idle); failed servers draw nothing.
        const double cut_off = length > 0 ? (w.down[g] - w.off[g]) / length : 0.0;
        wg.power_w = wg.servers_up * server_power_w(*spec, u_cpu, std::vector<double>(static_cast<std::size_t>(group.gpus), u_gpu)) +
                     cut_off * server_power_w(*spec, 0.0, std::vector<double>(static_cast<std::size_t>(group.gpus), 0.0));
        power += *wg.power_w;
      } else {
        every_power = false;
      }
      busy_cores += w.cpu_busy[g];
      cores += group_cores;
      busy_gpus += w.gpu_busy[g];
      gpus += group_gpus;
      out.servers_up += wg.servers_up;
      out.groups.push_back(std::move(wg));
    }
    out.cpu_utilization = length > 0 && cores > 0 ? busy_cores / (cores * length) : 0.0;
    if (gpus > 0) out.gpu_utilization = length > 0 ? busy_gpus / (gpus * length) : 0.0;
    if (every_power && !fleet_.groups.empty()) out.power_w = power;
    r.windows.push_back(std::move(out));
  }
  r.summary.windows = r.windows.size();
  if (r.summary.judged > 0) r.summary.fraction_met = static_cast<double>(r.summary.met) / static_cast<double>(r.summary.judged);
  r.summary.queries_in_missed_windows = completed_all > 0 ? static_cast<double>(completed_missed) / static_cast<double>(completed_all) : 0.0;
  return r;
}

}  // namespace recsim
