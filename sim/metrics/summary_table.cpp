#include "sim/metrics/summary_table.h"

#include <cstdio>
#include <string>

namespace recsim {
namespace {

std::string line(const char* label, const std::string& value) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "  %-22s %s\n", label, value.c_str());
  return buf;
}

std::string fmt(const char* format, double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, x);
  return buf;
}

// Format 2: the fleet by kind, model and group instead of one service and every server.
std::string datacenter_lines(const RunResults& r) {
  const DatacenterResults& d = *r.datacenter;
  std::string out;
  int servers = 0;
  for (const auto& k : d.kinds) servers += k.servers;
  out += line("fleet", std::to_string(servers) + " servers in " + std::to_string(d.groups.size()) + " groups of " +
                           std::to_string(d.kinds.size()) + " kinds, balancer " + d.balancer +
                           (d.network ? ", over the rack network" : ", no network modelled"));
  for (const auto& k : d.kinds) {
    std::string v = std::to_string(k.servers) + " servers";
    if (!k.cpu_profile.empty()) v += ", CPU times " + k.cpu_source + " (" + k.cpu_profile + ")";
    if (!k.gpu_profile.empty()) v += ", GPU kernels " + k.gpu_source + " (" + k.gpu_profile + ")";
    if (!k.power_source.empty()) v += ", power: " + k.power_source;
    out += line(("  kind " + k.name).c_str(), v);
    if (k.cpu_source == "analytic" || k.gpu_source == "analytic")
      out += line("NOTE", "kind " + k.name + " has times from an analytic model, not from measurements");
  }
  out += "  models                 share  measured        qps    p95 ms    p99 ms   SLA\n";
  for (const auto& m : d.models) {
    char buf[320];
    std::snprintf(buf, sizeof buf, "    %-20s %5.3f %9llu %10.1f %9.3f %9.3f   p%g %s %g ms: %s\n", m.name.c_str(), m.share,
                  static_cast<unsigned long long>(m.measured), m.throughput_qps, m.latency_ms ? m.latency_ms->p95 : 0.0,
                  m.latency_ms ? m.latency_ms->p99 : 0.0, m.sla.percentile,
                  m.sla.observed_ms ? fmt("%.3f vs", *m.sla.observed_ms).c_str() : "-", m.sla.target_ms,
                  m.sla.met ? "MET" : "MISSED");
    out += buf;
  }
  out += "  groups                 kind          servers    CPU    GPU     p95 ms    power W\n";
  for (const auto& g : d.groups) {
    char buf[320];
    std::snprintf(buf, sizeof buf, "    %-20s %-13s %7d %5.1f%% %6s %10.3f %10s\n", g.name.c_str(), g.kind.c_str(), g.servers,
                  100 * g.cpu_utilization, g.gpu_utilization ? fmt("%.1f%%", 100 * *g.gpu_utilization).c_str() : "-",
                  g.latency_ms ? g.latency_ms->p95 : 0.0, g.power ? fmt("%.0f", g.power->mean_w).c_str() : "-");
    out += buf;
  }
  out += line("latency split", fmt("network %.3f ms", d.network_ms) + fmt(", queueing %.3f ms", d.queueing_ms) +
                                   fmt(", service %.3f ms", d.service_ms) + (d.retry_ms > 0 ? fmt(", retry %.3f ms", d.retry_ms) : "") + " (means)");
  out += line("imbalance", fmt("busiest server %.3f x its group's mean", d.balance.max_over_mean) +
                               fmt(", mean coefficient of variation %.3f", d.balance.cv));
  if (d.energy)
    out += line("power", fmt("%.0f W mean", d.energy->mean_power_w) + fmt(", %.4g J per query", d.energy->joules_per_query) +
                             fmt(", %.3f queries/s per W", d.energy->qps_per_watt));
  if (d.cost_per_hour)
    out += line("cost", fmt("%.2f per hour", *d.cost_per_hour) +
                            (d.cost_per_million_queries ? fmt(", %.4f per million queries", *d.cost_per_million_queries) : ""));
  return out;
}

// The time series in one line: how many windows met the SLA, and the worst.
std::string series_line(const RunResults& r) {
  if (!r.time_series) return "";
  const TimeSeriesReport& t = *r.time_series;
  const TimeSeriesSummary& s = t.summary;
  std::string v = std::to_string(s.windows) + fmt(" windows of %g s", t.window_s);
  if (s.judged == 0) return line("over time", v + ", none with completions");
  v += ": " + std::to_string(s.met) + " of " + std::to_string(s.judged) + " met the SLA";
  if (s.first_missed_s) v += fmt(" (first miss at %.6g s", *s.first_missed_s) + fmt(", %.2f%% of queries in missed windows)", 100.0 * s.queries_in_missed_windows);
  if (s.worst) {
    const SeriesWindow& w = t.windows[*s.worst];
    v += fmt("; worst %.4g ms", *w.sla_observed_ms) + fmt(" vs %g", w.sla_target_ms) + fmt(" at %.6g s", w.start_s);
    if (r.datacenter) v += " (" + w.sla_model + ")";
  }
  return line("over time", v);
}

// The failures in one line: what went down and what it cost the queries.
std::string availability_line(const RunResults& r) {
  if (!r.availability) return "";
  const AvailabilityReport& a = *r.availability;
  std::string v = std::to_string(a.failures) + fmt(" server failures (%.4g server-s down", a.server_down_s) +
                  fmt(", %.4g up on average)", a.mean_servers_up) + "; " + std::to_string(a.lost) + " queries lost, " +
                  std::to_string(a.retries) + " re-issued; " + fmt("%.4f%% of measured queries within the SLA target", 100.0 * a.within_sla);
  if (a.query_nines) v += fmt(" (%.2f nines)", *a.query_nines);
  return line("availability", v);
}

// Autoscaling in one line: what it used against the groups at their maximum throughout.
std::string autoscaling_line(const RunResults& r) {
  if (!r.autoscaling) return "";
  const AutoscalingReport& a = *r.autoscaling;
  std::string v = a.policy + fmt(": %.4g server-hours", a.server_hours) + fmt(" against %.4g for the peak-sized groups", a.peak_server_hours);
  if (a.energy_kwh) v += fmt(", %.4g kWh", *a.energy_kwh) + fmt(" against %.4g", *a.peak_energy_kwh);
  if (a.cost) v += fmt(", cost %.4g", *a.cost) + fmt(" against %.4g", *a.peak_cost);
  return line("autoscaling", v);
}

// The parameter server's lines: format 1's one cache, format 2's per model.
std::string cache_lines(const std::string& label, const CacheReport& e) {
  std::string out;
  const CacheCounters& c = e.counters;
  if (c.unique == 0) return out;
  const auto frac = [](std::uint64_t a, std::uint64_t b) { return b ? static_cast<double>(a) / static_cast<double>(b) : 0.0; };
  out += line(label.c_str(), fmt("hit rate %.4f", frac(c.hits, c.unique)) + " of " + std::to_string(c.unique) +
                         " unique keys (" + e.mode + fmt(" mode), %.2f%% answered with default vectors", 100 * frac(c.default_answers, c.unique)) +
                         fmt(", %.1f%% of table lookups waited", 100 * frac(c.synchronous_batches, c.batches)) +
                         " (" + std::to_string(c.fetched_keys) + " keys fetched)");
  out += line("  served from", fmt("GPU cache %.4f", frac(c.hits, c.unique)) + fmt(", volatile tier %.4f", frac(c.volatile_keys, c.unique)) +
                                   fmt(", persistent tier %.4f", frac(c.persistent_keys, c.unique)) +
                                   fmt(", found nowhere %.4f", frac(c.not_found_keys, c.unique)));
  if (e.background_fetches + e.background_dropped > 0)
    out += line("  background fetches", std::to_string(e.background_fetches) + " (" + std::to_string(e.background_keys) + " keys), " +
                                            std::to_string(e.background_dropped) + " dropped with the queue full");
  if (e.refresh_passes)
    out += line("  refresh", std::to_string(*e.refresh_passes) + " passes, " + std::to_string(e.refresh_keys) + " keys re-read");
  if (e.updates) {
    std::string u = std::to_string(e.updates_published) + " published, " + std::to_string(e.updates_written) + " written (" +
                    std::to_string(e.updates_redelivered) + " redelivered), " + std::to_string(e.updates_visible) + " made visible";
    if (e.staleness_ms) u += fmt(", staleness p50 %.3g ms", e.staleness_ms->p50) + fmt(" p99 %.3g ms", e.staleness_ms->p99);
    out += line("  online updates", u);
  }
  return out;
}

}  // namespace

std::string format_summary(const RunResults& r) {
  std::string out = "recsim run: " + r.scenario + " (seed " + std::to_string(r.seed) + ")\n";
  if (r.datacenter) {
    out += line("queries", std::to_string(r.completed) + " completed, " + std::to_string(r.measured) + " measured (after warm-up)");
    out += line("throughput", fmt("%.1f queries/s", r.throughput_qps));
    if (r.latency_ms) {
      const auto& l = *r.latency_ms;
      out += "  fleet latency (ms)     mean      p50      p90      p95      p99    p99.9      max\n";
      char buf[256];
      std::snprintf(buf, sizeof buf, "                     %9.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f\n", l.mean, l.p50, l.p90,
                    l.p95, l.p99, l.p999, l.max);
      out += buf;
    }
    out += datacenter_lines(r);
    out += line("SLAs", std::string(r.sla_met ? "every model MET" : "MISSED by at least one model") + " (binding: " +
                            r.datacenter->binding_model + ")");
    out += line("CPU utilisation", fmt("%.1f%%", 100.0 * r.cpu_utilization));
    if (r.gpu_utilization)
      out += line("GPU utilisation", fmt("%.1f%%", 100.0 * *r.gpu_utilization) + ", " + std::to_string(r.gpu_queries) +
                                         " queries offloaded");
    out += series_line(r);
    out += availability_line(r);
    out += autoscaling_line(r);
    for (const auto& m : r.datacenter->models)
      if (m.embedding_cache) out += cache_lines("cache of " + m.name, *m.embedding_cache);
    if (r.saturated) out += line("SATURATED", r.saturation_reason);
    out += line("engine", std::to_string(r.requests_simulated) + " requests in " + fmt("%.3f s wall", r.wall_seconds) +
                              fmt(", %.3f s virtual", r.virtual_seconds));
    return out;
  }
  std::string service = r.service_model.empty() ? r.service_type : "model " + r.service_model;
  if (!r.service_profile.empty()) service += " (" + r.service_source + " profile " + r.service_profile + ")";
  out += line("service", service);
  if (!r.service_gpu_profile.empty())
    out += line("GPU service", "kernels from the " + r.service_gpu_source + " profile " + r.service_gpu_profile +
                                   ", transfers simulated on PCIe");
  if (r.service_source == "analytic")
    out += line("NOTE", "service times come from an analytic model, not from measurements");
  if (r.service_gpu_source == "analytic")
    out += line("NOTE", "GPU kernel times come from an analytic roofline model, not from measurements");
  out += line("queries", std::to_string(r.completed) + " completed, " + std::to_string(r.measured) +
                             (r.online ? " measured (after warm-up and the climb)" : " measured (after warm-up)"));
  out += line("throughput", fmt("%.1f queries/s", r.throughput_qps));
  if (r.latency_ms) {
    const auto& l = *r.latency_ms;
    out += "  latency (ms)           mean      p50      p90      p95      p99    p99.9      max\n";
    char buf[256];
    std::snprintf(buf, sizeof buf, "                     %9.3f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f\n", l.mean, l.p50,
                  l.p90, l.p95, l.p99, l.p999, l.max);
    out += buf;
    out += line("mean wait", fmt("%.3f ms", r.mean_wait_ms) + fmt(" (%.1f%% of queries waited)", 100.0 * r.waited_fraction));
  } else {
    out += line("latency", "none measured (the run stopped before the warm-up ended)");
  }
  std::string verdict = r.sla_observed_ms ? fmt("p%g = ", r.sla_percentile) + fmt("%.3f ms", *r.sla_observed_ms) +
                                                fmt(" vs target %g ms: ", r.sla_target_ms) + (r.sla_met ? "MET" : "MISSED")
                                          : fmt("p%g: ", r.sla_percentile) + "not measured: MISSED";
  out += line("SLA", verdict);
  out += line("CPU utilisation", fmt("%.1f%%", 100.0 * r.cpu_utilization));
  for (const auto& s : r.servers)
    out += line(("  " + s.name).c_str(), fmt("%.1f%% busy", 100.0 * s.cpu) + fmt(", offered load %.3f", s.offered) +
                                             (s.tier_work ? fmt(", parameter-server tier work %.1f%%", 100.0 * *s.tier_work) +
                                                                " of its cores (not contending with inference)"
                                                          : ""));
  if (r.gpu_utilization) {
    out += line("GPU utilisation", fmt("%.1f%%", 100.0 * *r.gpu_utilization) + ", " + std::to_string(r.gpu_queries) +
                                       " queries offloaded");
    for (const auto& s : r.servers)
      for (const auto& g : s.gpus)
        out += line(("  " + g.name).c_str(), fmt("%.1f%% kernels", 100.0 * g.busy) + fmt(", PCIe h2d %.1f%%", 100.0 * g.h2d) +
                                                 fmt(", d2h %.1f%%", 100.0 * g.d2h) +
                                                 (r.embedding_cache ? fmt(", waiting on lower tiers %.1f%%", 100.0 * g.tier_wait) : "") +
                                                 fmt(", offered load %.3f", g.offered));
    GpuStageTimes all;
    for (const auto& t : r.gpu_stage_times) all.add(t);
    if (all.queries > 0) {
      std::string by;
      for (int c = 0; c < kGpuSizeClasses && c < static_cast<int>(r.gpu_stage_times.size()); ++c) {
        const GpuStageTimes& t = r.gpu_stage_times[static_cast<std::size_t>(c)];
        if (t.queries > 0) by += (by.empty() ? "" : ", ") + gpu_size_class_label(c) + " items " + fmt("%.0f%%", 100.0 * t.transfer_share());
      }
      out += line("GPU time in copies", fmt("%.1f%%", 100.0 * all.transfer_share()) + " of the offloaded queries' (" + by + ")");
    }
  }
  if (r.embedding_cache) out += cache_lines("embedding cache", *r.embedding_cache);
  if (r.online) {
    const OnlineClimbReport& o = *r.online;
    out += "  online climb           max load under the SLA of each configuration, by the arrival-rate controller:\n";
    for (const auto& s : o.steps) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "    %-9s batch %5d  threshold %5s  %12.6g qps%s\n", s.phase.c_str(), s.batch_size,
                    s.gpu_threshold ? std::to_string(*s.gpu_threshold).c_str() : "-", s.max_qps,
                    s.at_limit ? "  (at the controller's limit)" : "");
      out += buf;
    }
    const std::string t = o.gpu_threshold ? std::to_string(*o.gpu_threshold) : "none";
    if (o.finished)
      out += line("chosen", "batch " + std::to_string(o.batch_size) + ", gpu threshold " + t + fmt(" at %.3f s virtual", o.finished_at_s) +
                                " (after " + std::to_string(o.climb_queries) + " queries; measured from then on)");
    else
      out += line("NOTE", "the climb did not finish within the run (batch " + std::to_string(o.batch_size) + ", gpu threshold " +
                              t + " at the end): lengthen run.queries");
  }
  out += series_line(r);
  out += availability_line(r);
  out += autoscaling_line(r);
  if (r.saturated) out += line("SATURATED", r.saturation_reason);
  out += line("engine", std::to_string(r.requests_simulated) + " requests in " + fmt("%.3f s wall", r.wall_seconds) +
                            fmt(", %.3f s virtual", r.virtual_seconds));
  return out;
}

}  // namespace recsim
