#pragma once
// What the parameter server did in a run (service.embedding_cache): the results JSON's
// `embedding_cache` block (docs/results-format.md) in typed form, and its JSON form. Counters are
// over the measured queries (and, for background fetches, refresh passes and updates, over the
// measurement window); the timeline covers the whole run from its cold start.
#include "sim/ps/cache_counters.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct StalenessSummary {  // milliseconds, from an update's publication to its visibility on the GPU
  std::uint64_t count = 0;
  double mean = 0, p50 = 0, p99 = 0, max = 0;
};

struct CacheReport {
  std::string mode = "keys";
  CacheCounters counters;
  std::uint64_t background_fetches = 0, background_keys = 0, background_dropped = 0;
  std::optional<std::uint64_t> refresh_passes;  // set with refresh
  std::uint64_t refresh_keys = 0;
  bool updates = false;
  std::uint64_t updates_published = 0, updates_written = 0, updates_redelivered = 0, updates_visible = 0;
  std::optional<StalenessSummary> staleness_ms;
  double timeline_bin_s = 0.0;
  std::vector<std::uint64_t> timeline_unique, timeline_hits;
};

nlohmann::ordered_json cache_report_to_json(const CacheReport& report);
// The inverse of cache_report_to_json (derived fields such as hit_rate are recomputed, not read).
CacheReport cache_report_from_json(const nlohmann::json& j);

}  // namespace recsim
