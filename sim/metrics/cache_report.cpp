#include "sim/metrics/cache_report.h"

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

json ratio(std::uint64_t a, std::uint64_t b) { return b ? json(static_cast<double>(a) / static_cast<double>(b)) : json(nullptr); }

}  // namespace

nlohmann::ordered_json cache_report_to_json(const CacheReport& r) {
  const CacheCounters& c = r.counters;
  json j = {{"mode", r.mode},
            {"lookups", c.lookups},
            {"unique", c.unique},
            {"hits", c.hits},
            {"hit_rate", ratio(c.hits, c.unique)},
            {"default_answers", c.default_answers},
            {"default_fraction", ratio(c.default_answers, c.unique)},
            {"batches", c.batches},
            {"synchronous_batches", c.synchronous_batches},
            {"synchronous_fraction", ratio(c.synchronous_batches, c.batches)},
            {"fetched_keys", c.fetched_keys}};
  j["tiers"] = {{"gpu_cache", {{"keys", c.hits}, {"fraction", ratio(c.hits, c.unique)}}},
                {"volatile", {{"keys", c.volatile_keys}, {"fraction", ratio(c.volatile_keys, c.unique)}}},
                {"persistent", {{"keys", c.persistent_keys}, {"fraction", ratio(c.persistent_keys, c.unique)}}},
                {"not_found", {{"keys", c.not_found_keys}, {"fraction", ratio(c.not_found_keys, c.unique)}}}};
  j["background"] = {{"fetches", r.background_fetches}, {"keys", r.background_keys}, {"dropped", r.background_dropped}};
  j["refresh"] = r.refresh_passes ? json{{"passes", *r.refresh_passes}, {"keys", r.refresh_keys}} : json(nullptr);
  if (r.updates) {
    json staleness = nullptr;
    if (r.staleness_ms)
      staleness = {{"count", r.staleness_ms->count}, {"mean", r.staleness_ms->mean}, {"p50", r.staleness_ms->p50},
                   {"p99", r.staleness_ms->p99}, {"max", r.staleness_ms->max}};
    j["updates"] = {{"published", r.updates_published},
                    {"written", r.updates_written},
                    {"redelivered", r.updates_redelivered},
                    {"made_visible", r.updates_visible},
                    {"staleness_ms", staleness}};
  } else {
    j["updates"] = nullptr;
  }
  json hit_rate = json::array();
  for (std::size_t i = 0; i < r.timeline_unique.size(); ++i) hit_rate.push_back(ratio(r.timeline_hits[i], r.timeline_unique[i]));
  j["timeline"] = {{"bin_s", r.timeline_bin_s}, {"unique", r.timeline_unique}, {"hits", r.timeline_hits}, {"hit_rate", hit_rate}};
  return j;
}

CacheReport cache_report_from_json(const nlohmann::json& j) {
  CacheReport r;
  CacheCounters& c = r.counters;
  r.mode = j.at("mode").get<std::string>();
  c.lookups = j.at("lookups").get<std::uint64_t>();
  c.unique = j.at("unique").get<std::uint64_t>();
  c.hits = j.at("hits").get<std::uint64_t>();
  c.default_answers = j.at("default_answers").get<std::uint64_t>();
  c.batches = j.at("batches").get<std::uint64_t>();
  c.synchronous_batches = j.at("synchronous_batches").get<std::uint64_t>();
  c.fetched_keys = j.at("fetched_keys").get<std::uint64_t>();
  c.volatile_keys = j.at("tiers").at("volatile").at("keys").get<std::uint64_t>();
  c.persistent_keys = j.at("tiers").at("persistent").at("keys").get<std::uint64_t>();
  c.not_found_keys = j.at("tiers").at("not_found").at("keys").get<std::uint64_t>();
  r.background_fetches = j.at("background").at("fetches").get<std::uint64_t>();
  r.background_keys = j.at("background").at("keys").get<std::uint64_t>();
  r.background_dropped = j.at("background").at("dropped").get<std::uint64_t>();
  if (const auto& f = j.at("refresh"); !f.is_null()) {
    r.refresh_passes = f.at("passes").get<std::uint64_t>();
    r.refresh_keys = f.at("keys").get<std::uint64_t>();
  }
  if (const auto& u = j.at("updates"); !u.is_null()) {
    r.updates = true;
    r.updates_published = u.at("published").get<std::uint64_t>();
    r.updates_written = u.at("written").get<std::uint64_t>();
    r.updates_redelivered = u.at("redelivered").get<std::uint64_t>();
    r.updates_visible = u.at("made_visible").get<std::uint64_t>();
    if (const auto& s = u.at("staleness_ms"); !s.is_null())
      r.staleness_ms = StalenessSummary{s.at("count").get<std::uint64_t>(), s.at("mean").get<double>(), s.at("p50").get<double>(),
                                        s.at("p99").get<double>(), s.at("max").get<double>()};
  }
  r.timeline_bin_s = j.at("timeline").at("bin_s").get<double>();
  r.timeline_unique = j.at("timeline").at("unique").get<std::vector<std::uint64_t>>();
  r.timeline_hits = j.at("timeline").at("hits").get<std::vector<std::uint64_t>>();
  return r;
}

}  // namespace recsim
