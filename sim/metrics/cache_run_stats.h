#pragma once
// What the parameter server's actors record during a run, beside the lookups' own counters: the
// hit-rate timeline (whole run), and inside the measurement window the background fetches, refresh
// passes, online updates and the staleness of the updates made visible on GPUs.
#include "sim/metrics/cache_report.h"
#include "sim/metrics/hit_rate_timeline.h"
#include "sim/metrics/latency_histogram.h"

#include <cstdint>

namespace recsim {

struct CacheRunStats {
  explicit CacheRunStats(double first_bin_seconds) : timeline(first_bin_seconds) {}
  HitRateTimeline timeline;
  LatencyHistogram staleness;  // seconds
  std::uint64_t background_fetches = 0, background_keys = 0, background_dropped = 0;
  std::uint64_t refresh_passes = 0, refresh_keys = 0;
  std::uint64_t updates_published = 0, updates_written = 0, updates_redelivered = 0, updates_visible = 0;

  // The report's fields other than the lookups' counters.
  void fill(CacheReport& report, bool refresh, bool updates) const {
    report.background_fetches = background_fetches;
    report.background_keys = background_keys;
    report.background_dropped = background_dropped;
    if (refresh) {
      report.refresh_passes = refresh_passes;
      report.refresh_keys = refresh_keys;
    }
    report.updates = updates;
    report.updates_published = updates_published;
    report.updates_written = updates_written;
    report.updates_redelivered = updates_redelivered;
    report.updates_visible = updates_visible;
    if (updates && staleness.count() > 0)
      report.staleness_ms = StalenessSummary{staleness.count(), staleness.mean() * 1e3, staleness.percentile(50) * 1e3,
                                             staleness.percentile(99) * 1e3, staleness.max() * 1e3};
    report.timeline_bin_s = timeline.bin_seconds();
    report.timeline_unique = timeline.unique();
    report.timeline_hits = timeline.hits();
  }
};

}  // namespace recsim
