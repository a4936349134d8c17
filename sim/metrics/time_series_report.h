#pragma once
// A run's results over time (`run.window_s`): one row per window of virtual time, and a summary of
// the SLA through time (docs/results-format.md, "Time series"). Filled by TimeSeries
// (sim/metrics/time_series.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct WindowLatency {  // milliseconds, over the queries that completed in the window
  double mean = 0, p50 = 0, p95 = 0, p99 = 0, max = 0;
};

struct WindowGroup {
  std::string name;
  double servers_up = 0;         // mean over the window
  double cpu_utilization = 0;    // busy core-seconds / (cores up x window)
  std::optional<double> gpu_utilization;  // kernel-busy GPU-seconds / (GPUs up x window); none without GPUs
  std::optional<double> power_w;          // mean power (its kind's power model); none without one
};

struct WindowModel {
  std::string name;
  std::uint64_t completed = 0;
  std::optional<double> observed_ms;  // its SLA percentile over its queries completed in the window
  std::optional<bool> met;            // observed <= its target; none without completions
};

struct SeriesWindow {
  double start_s = 0, end_s = 0;  // the last window ends with the run
  std::uint64_t arrived = 0, completed = 0;
  std::uint64_t lost = 0, retried = 0;  // queries lost, and re-issues, in the window (failures)
  double offered_qps = 0, served_qps = 0;
  std::uint64_t in_system = 0;  // queries arrived and neither completed nor lost at end_s
  double mean_in_system = 0;    // time-average over the window
  std::optional<WindowLatency> latency_ms;  // none without completions
  // The window's SLA verdict: every model with completions in it meets its target over them; the
  // figures are those of the model furthest from (or past) its target. None without completions.
  std::optional<bool> sla_met;
  std::optional<double> sla_observed_ms;
  double sla_target_ms = 0;
  std::string sla_model;
  double cpu_utilization = 0;
  std::optional<double> gpu_utilization;
  std::optional<double> power_w;  // when every group has a power model
  double servers_up = 0;
  std::vector<WindowGroup> groups;
  std::vector<WindowModel> models;
};

struct TimeSeriesSummary {
  std::uint64_t windows = 0;
  std::uint64_t judged = 0;  // windows with completions
  std::uint64_t met = 0;     // ... of which met the SLA
  std::optional<double> fraction_met;  // met / judged
  // Queries that completed in windows that missed, over all completed queries.
  double queries_in_missed_windows = 0;
  std::optional<double> first_missed_s;  // start of the first window that missed
  std::optional<std::size_t> worst;       // index of the window furthest past (or closest to) its target
};

struct TimeSeriesReport {
  double window_s = 0;
  double measurement_start_s = 0;  // the end-of-run statistics start here; the windows cover the whole run
  std::vector<SeriesWindow> windows;
  TimeSeriesSummary summary;
};

}  // namespace recsim
