#include "sim/metrics/datacenter_json.h"

#include "sim/metrics/json_optional.h"

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

json opt_latency(const std::optional<LatencySummary>& v) { return v ? latency_summary_to_json(*v) : json(nullptr); }
json opt_power(const std::optional<PowerReport>& p) {
  return p ? json{{"mean_w", p->mean_w}, {"energy_j", p->energy_j}} : json(nullptr);
}
json text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::optional<LatencySummary> get_latency(const nlohmann::json& j, const char* key) {
  if (j.at(key).is_null()) return std::nullopt;
  return latency_summary_from_json(j.at(key));
}
std::optional<PowerReport> get_power(const nlohmann::json& j) {
  if (j.at("power").is_null()) return std::nullopt;
  return PowerReport{j.at("power").at("mean_w").get<double>(), j.at("power").at("energy_j").get<double>()};
}
std::string get_text(const nlohmann::json& j, const char* key) {
  return j.at(key).is_null() ? std::string() : j.at(key).get<std::string>();
}

}  // namespace

json latency_summary_to_json(const LatencySummary& s) {
  return {{"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90}, {"p95", s.p95}, {"p99", s.p99}, {"p999", s.p999}, {"max", s.max}};
}

LatencySummary latency_summary_from_json(const nlohmann::json& l) {
  LatencySummary s;
  s.mean = l.at("mean").get<double>();
  s.p50 = l.at("p50").get<double>();
  s.p90 = l.at("p90").get<double>();
  s.p95 = l.at("p95").get<double>();
  s.p99 = l.at("p99").get<double>();
  s.p999 = l.at("p999").get<double>();
  s.max = l.at("max").get<double>();
  return s;
}

json datacenter_to_json(const DatacenterResults& d) {
  json models = json::array();
  for (const auto& m : d.models) {
    models.push_back({{"name", m.name},
                      {"share", m.share},
                      {"measured", m.measured},
                      {"throughput_qps", m.throughput_qps},
                      {"latency_ms", opt_latency(m.latency_ms)},
                      {"sla",
                       {{"percentile", m.sla.percentile},
                        {"target_ms", m.sla.target_ms},
                        {"observed_ms", optional_to_json(m.sla.observed_ms)},
                        {"ci95_ms", m.sla.ci95_ms ? json::array({m.sla.ci95_ms->first, m.sla.ci95_ms->second}) : json(nullptr)},
                        {"met", m.sla.met}}}});
    if (m.embedding_cache) models.back()["embedding_cache"] = cache_report_to_json(*m.embedding_cache);  // only with one
  }
  json groups = json::array();
  for (const auto& g : d.groups) {
    groups.push_back({{"name", g.name},
                      {"kind", g.kind},
                      {"servers", g.servers},
                      {"measured", g.measured},
                      {"latency_ms", opt_latency(g.latency_ms)},
                      {"cpu", g.cpu_utilization},
                      {"gpu", optional_to_json(g.gpu_utilization)},
                      {"power", opt_power(g.power)}});
    if (!g.cache_hit_rates.empty()) {  // only where a model keeps a cache on the group's GPUs
      json rates = json::array();
      for (const auto& [model, rate] : g.cache_hit_rates) rates.push_back({{"model", model}, {"hit_rate", rate}});
      groups.back()["embedding_cache_hit_rates"] = rates;
      groups.back()["gpu_tier_wait"] = optional_to_json(g.gpu_tier_wait);
    }
  }
  json kinds = json::array();
  for (const auto& k : d.kinds)
    kinds.push_back({{"name", k.name},
                     {"servers", k.servers},
                     {"cpu", k.cpu_utilization},
                     {"gpu", optional_to_json(k.gpu_utilization)},
                     {"power", opt_power(k.power)},
                     {"cost_per_hour", optional_to_json(k.cost_per_hour)},
                     {"cpu_profile", text(k.cpu_profile)},
                     {"cpu_source", text(k.cpu_source)},
                     {"gpu_profile", text(k.gpu_profile)},
                     {"gpu_source", text(k.gpu_source)},
                     {"power_source", text(k.power_source)}});
  json energy = nullptr;
  if (d.energy)
    energy = {{"mean_power_w", d.energy->mean_power_w},
              {"energy_j", d.energy->energy_j},
              {"joules_per_query", d.energy->joules_per_query},
              {"qps_per_watt", d.energy->qps_per_watt}};
  return {{"balancer", d.balancer},
          {"binding_model", d.binding_model},
          {"latency_split_ms", {{"network", d.network_ms}, {"queueing", d.queueing_ms}, {"service", d.service_ms}, {"retry", d.retry_ms}}},
          {"network", d.network},
          {"network_model", d.network ? json(d.network_model) : json()},
          {"energy", energy},
          {"cost", {{"per_hour", optional_to_json(d.cost_per_hour)}, {"per_million_queries", optional_to_json(d.cost_per_million_queries)}}},
          {"imbalance", {{"max_over_mean", d.balance.max_over_mean}, {"cv", d.balance.cv}}},
          {"models", models},
          {"groups", groups},
          {"kinds", kinds}};
}

DatacenterResults datacenter_from_json(const nlohmann::json& j) {
  DatacenterResults d;
  d.balancer = j.at("balancer").get<std::string>();
  d.binding_model = j.at("binding_model").get<std::string>();
  d.network_ms = j.at("latency_split_ms").at("network").get<double>();
  d.queueing_ms = j.at("latency_split_ms").at("queueing").get<double>();
  d.retry_ms = j.at("latency_split_ms").at("retry").get<double>();
  d.service_ms = j.at("latency_split_ms").at("service").get<double>();
  d.network = j.at("network").get<bool>();
  if (j.contains("network_model") && j.at("network_model").is_string()) d.network_model = j.at("network_model").get<std::string>();
  if (const auto& e = j.at("energy"); !e.is_null())
    d.energy = EnergyReport{e.at("mean_power_w").get<double>(), e.at("energy_j").get<double>(),
                            e.at("joules_per_query").get<double>(), e.at("qps_per_watt").get<double>()};
  d.cost_per_hour = optional_from_json<double>(j.at("cost"), "per_hour");
  d.cost_per_million_queries = optional_from_json<double>(j.at("cost"), "per_million_queries");
  d.balance.max_over_mean = j.at("imbalance").at("max_over_mean").get<double>();
  d.balance.cv = j.at("imbalance").at("cv").get<double>();
  for (const auto& m : j.at("models")) {
    ModelResults r;
    r.name = m.at("name").get<std::string>();
    r.share = m.at("share").get<double>();
    r.measured = m.at("measured").get<std::uint64_t>();
    r.throughput_qps = m.at("throughput_qps").get<double>();
    r.latency_ms = get_latency(m, "latency_ms");
    const auto& s = m.at("sla");
    r.sla.percentile = s.at("percentile").get<double>();
    r.sla.target_ms = s.at("target_ms").get<double>();
    r.sla.observed_ms = optional_from_json<double>(s, "observed_ms");
    if (!s.at("ci95_ms").is_null()) r.sla.ci95_ms = std::make_pair(s.at("ci95_ms").at(0).get<double>(), s.at("ci95_ms").at(1).get<double>());
    r.sla.met = s.at("met").get<bool>();
    if (m.contains("embedding_cache")) r.embedding_cache = cache_report_from_json(m.at("embedding_cache"));
    d.models.push_back(std::move(r));
  }
  for (const auto& g : j.at("groups")) {
    GroupResults r;
    r.name = g.at("name").get<std::string>();
    r.kind = g.at("kind").get<std::string>();
    r.servers = g.at("servers").get<int>();
    r.measured = g.at("measured").get<std::uint64_t>();
    r.latency_ms = get_latency(g, "latency_ms");
    r.cpu_utilization = g.at("cpu").get<double>();
    r.gpu_utilization = optional_from_json<double>(g, "gpu");
    r.power = get_power(g);
    if (g.contains("embedding_cache_hit_rates"))
      for (const auto& x : g.at("embedding_cache_hit_rates"))
        r.cache_hit_rates.emplace_back(x.at("model").get<std::string>(), x.at("hit_rate").get<double>());
    if (g.contains("gpu_tier_wait")) r.gpu_tier_wait = optional_from_json<double>(g, "gpu_tier_wait");
    d.groups.push_back(std::move(r));
  }
  for (const auto& k : j.at("kinds")) {
    KindResults r;
    r.name = k.at("name").get<std::string>();
    r.servers = k.at("servers").get<int>();
    r.cpu_utilization = k.at("cpu").get<double>();
    r.gpu_utilization = optional_from_json<double>(k, "gpu");
    r.power = get_power(k);
    r.cost_per_hour = optional_from_json<double>(k, "cost_per_hour");
    r.cpu_profile = get_text(k, "cpu_profile");
    r.gpu_profile = get_text(k, "gpu_profile");
    r.cpu_source = get_text(k, "cpu_source");
    r.gpu_source = get_text(k, "gpu_source");
    r.power_source = get_text(k, "power_source");
    d.kinds.push_back(std::move(r));
  }
  return d;
}

}  // namespace recsim
