#include "sim/metrics/results_json.h"

#include "sim/metrics/datacenter_json.h"
#include "sim/metrics/json_optional.h"
#include "sim/metrics/time_series_json.h"

namespace recsim {

nlohmann::ordered_json results_to_json(const RunResults& r) {
  using json = nlohmann::ordered_json;
  json servers = json::array();
  for (const auto& s : r.servers) {
    json gpus = json::array();
    for (const auto& g : s.gpus)
      gpus.push_back({{"name", g.name}, {"busy", g.busy}, {"pcie_h2d", g.h2d}, {"pcie_d2h", g.d2h},
                      {"upload_stage", g.upload_stage}, {"tier_wait", g.tier_wait},
                      {"offered", g.offered}, {"queries", g.queries}});
    json server = {{"name", s.name}, {"cpu", s.cpu}, {"offered", s.offered}, {"cores", s.cores}};
    if (s.tier_work) server["tier_work"] = *s.tier_work;
    server["gpus"] = gpus;
    servers.push_back(std::move(server));
  }
  json j;
  j["scenario"] = r.scenario;
  j["seed"] = r.seed;
  j["saturated"] = r.saturated;
  j["saturation_reason"] = r.saturated ? json(r.saturation_reason) : json(nullptr);
  if (!r.stopped_early.empty()) j["stopped_early"] = r.stopped_early;
  j["queries"] = {{"arrived", r.arrived}, {"completed", r.completed}, {"measured", r.measured},
                  {"mean_in_system", r.mean_in_system}};
  j["throughput_qps"] = r.throughput_qps;
  j["latency_ms"] = r.latency_ms ? latency_summary_to_json(*r.latency_ms) : json(nullptr);
  j["wait_ms"] = {{"mean", r.mean_wait_ms}, {"waited_fraction", r.waited_fraction}};
  j["sla"] = {{"percentile", r.sla_percentile},
              {"target_ms", r.sla_target_ms},
              {"observed_ms", optional_to_json(r.sla_observed_ms)},
              {"ci95_ms", r.sla_ci95_ms ? json::array({r.sla_ci95_ms->first, r.sla_ci95_ms->second}) : json(nullptr)},
              {"met", r.sla_met}};
  j["service"] = {{"type", r.service_type},
                  {"model", r.service_model.empty() ? json(nullptr) : json(r.service_model)},
                  {"profile", r.service_profile.empty() ? json(nullptr) : json(r.service_profile)},
                  {"source", r.service_source.empty() ? json(nullptr) : json(r.service_source)},
                  {"gpu_profile", r.service_gpu_profile.empty() ? json(nullptr) : json(r.service_gpu_profile)},
                  {"gpu_source", r.service_gpu_source.empty() ? json(nullptr) : json(r.service_gpu_source)},
                  {"model_file", r.service_model_file.empty() ? json(nullptr) : json(r.service_model_file)},
                  {"table_rows", r.service_table_rows.empty() ? json(nullptr) : json(r.service_table_rows)}};
  j["utilization"] = {{"cpu", r.cpu_utilization}, {"gpu", optional_to_json(r.gpu_utilization)}, {"servers", servers}};
  if (r.embedding_cache) j["embedding_cache"] = cache_report_to_json(*r.embedding_cache);
  if (r.datacenter) j["datacenter"] = datacenter_to_json(*r.datacenter);
  if (r.availability) {
    const AvailabilityReport& a = *r.availability;
    j["availability"] = {{"failures", a.failures},
                         {"server_down_s", a.server_down_s},
                         {"mean_servers_up", a.mean_servers_up},
                         {"all_up_fraction", a.all_up_fraction},
                         {"most_down", a.most_down},
                         {"queries_lost", a.lost},
                         {"measured_lost", a.measured_lost},
                         {"retries", a.retries},
                         {"within_sla", a.within_sla},
                         {"query_nines", optional_to_json(a.query_nines)},
                         {"windows_met", optional_to_json(a.windows_met)},
                         {"window_nines", optional_to_json(a.window_nines)}};
  }
  if (r.autoscaling) {
    const AutoscalingReport& a = *r.autoscaling;
    json groups = json::array();
    for (const auto& g : a.groups)
      groups.push_back({{"name", g.name},
                        {"min", g.min},
                        {"max", g.max},
                        {"server_hours", g.server_hours},
                        {"peak_server_hours", g.peak_server_hours},
                        {"mean_servers", g.mean_servers},
                        {"scale_outs", g.scale_outs},
                        {"scale_ins", g.scale_ins},
                        {"energy_kwh", optional_to_json(g.energy_kwh)},
                        {"peak_energy_kwh", optional_to_json(g.peak_energy_kwh)},
                        {"cost", optional_to_json(g.cost)},
                        {"peak_cost", optional_to_json(g.peak_cost)}});
    j["autoscaling"] = {{"policy", a.policy},
                        {"interval_s", a.interval_s},
                        {"startup_s", a.startup_s},
                        {"server_hours", a.server_hours},
                        {"peak_server_hours", a.peak_server_hours},
                        {"energy_kwh", optional_to_json(a.energy_kwh)},
                        {"peak_energy_kwh", optional_to_json(a.peak_energy_kwh)},
                        {"cost", optional_to_json(a.cost)},
                        {"peak_cost", optional_to_json(a.peak_cost)},
                        {"groups", groups}};
  }
  if (r.time_series) j["time_series"] = time_series_to_json(*r.time_series);
  if (r.online) {
    const OnlineClimbReport& o = *r.online;
    json steps = json::array();
    for (const auto& s : o.steps)
      steps.push_back({{"batch_size", s.batch_size}, {"gpu_threshold", optional_to_json(s.gpu_threshold)},
                       {"phase", s.phase}, {"max_qps", s.max_qps}, {"at_limit", s.at_limit},
                       {"started_s", s.started_s}, {"decided_s", s.decided_s}});
    j["online"] = {{"finished", o.finished},
                   {"finished_at_s", o.finished ? json(o.finished_at_s) : json(nullptr)},
                   {"climb_queries", o.climb_queries},
                   {"final", {{"batch_size", o.batch_size}, {"gpu_threshold", optional_to_json(o.gpu_threshold)}}},
                   {"steps", steps}};
  }
  if (!r.gpu_stage_times.empty()) {
    // Where the offloaded queries' GPU time went: the copies (fixed cost and bytes on the link)
    // against the kernels, over all of them and by query size.
    GpuStageTimes all;
    json classes = json::array();
    for (int c = 0; c < kGpuSizeClasses; ++c) {
      const GpuStageTimes& t = r.gpu_stage_times[static_cast<std::size_t>(c)];
      all.add(t);
      if (t.queries == 0) continue;
      classes.push_back({{"items", gpu_size_class_label(c)}, {"queries", t.queries},
                         {"upload_ms", 1e3 * t.upload_s / static_cast<double>(t.queries)},
                         {"kernel_ms", 1e3 * t.kernel_s / static_cast<double>(t.queries)},
                         {"download_ms", 1e3 * t.download_s / static_cast<double>(t.queries)},
                         {"transfer_share", t.transfer_share()}});
    }
    j["gpu_time"] = {{"queries", all.queries}, {"transfer_share", all.queries ? json(all.transfer_share()) : json(nullptr)},
                     {"by_query_size", classes}};
  }
  j["engine"] = {{"wall_seconds", r.wall_seconds},
                 {"requests_simulated", r.requests_simulated},
                 {"gpu_queries", r.gpu_queries},
                 {"virtual_seconds", r.virtual_seconds}};
  return j;
}

RunResults results_from_json(const nlohmann::json& j) {
  RunResults r;
  r.scenario = j.at("scenario").get<std::string>();
  r.seed = j.at("seed").get<std::uint64_t>();
  r.saturated = j.at("saturated").get<bool>();
  if (!j.at("saturation_reason").is_null()) r.saturation_reason = j.at("saturation_reason").get<std::string>();
  if (j.contains("stopped_early")) r.stopped_early = j.at("stopped_early").get<std::string>();
  r.arrived = j.at("queries").at("arrived").get<std::uint64_t>();
  r.completed = j.at("queries").at("completed").get<std::uint64_t>();
  r.measured = j.at("queries").at("measured").get<std::uint64_t>();
  r.mean_in_system = j.at("queries").at("mean_in_system").get<double>();
  r.throughput_qps = j.at("throughput_qps").get<double>();
  if (const auto& l = j.at("latency_ms"); !l.is_null()) r.latency_ms = latency_summary_from_json(l);
  r.mean_wait_ms = j.at("wait_ms").at("mean").get<double>();
  r.waited_fraction = j.at("wait_ms").at("waited_fraction").get<double>();
  const auto& sla = j.at("sla");
  r.sla_percentile = sla.at("percentile").get<double>();
  r.sla_target_ms = sla.at("target_ms").get<double>();
  if (!sla.at("observed_ms").is_null()) r.sla_observed_ms = sla.at("observed_ms").get<double>();
  r.sla_met = sla.at("met").get<bool>();
  if (!sla.at("ci95_ms").is_null()) r.sla_ci95_ms = std::make_pair(sla.at("ci95_ms").at(0).get<double>(), sla.at("ci95_ms").at(1).get<double>());
  r.service_type = j.at("service").at("type").get<std::string>();
  if (!j.at("service").at("model").is_null()) r.service_model = j.at("service").at("model").get<std::string>();
  if (!j.at("service").at("profile").is_null()) r.service_profile = j.at("service").at("profile").get<std::string>();
  if (!j.at("service").at("source").is_null()) r.service_source = j.at("service").at("source").get<std::string>();
  if (!j.at("service").at("gpu_profile").is_null()) r.service_gpu_profile = j.at("service").at("gpu_profile").get<std::string>();
  if (!j.at("service").at("gpu_source").is_null()) r.service_gpu_source = j.at("service").at("gpu_source").get<std::string>();
  if (!j.at("service").at("model_file").is_null()) r.service_model_file = j.at("service").at("model_file").get<std::string>();
  if (!j.at("service").at("table_rows").is_null()) r.service_table_rows = j.at("service").at("table_rows").get<std::vector<std::int64_t>>();
  if (!j.at("utilization").at("gpu").is_null()) r.gpu_utilization = j.at("utilization").at("gpu").get<double>();
  r.cpu_utilization = j.at("utilization").at("cpu").get<double>();
  for (const auto& s : j.at("utilization").at("servers")) {
    ServerUtilization u;
    u.name = s.at("name").get<std::string>();
    u.cpu = s.at("cpu").get<double>();
    u.offered = s.at("offered").get<double>();
    u.cores = s.at("cores").get<std::vector<double>>();
    if (s.contains("tier_work")) u.tier_work = s.at("tier_work").get<double>();
    for (const auto& g : s.at("gpus")) {
      GpuUtilization gu;
      gu.name = g.at("name").get<std::string>();
      gu.busy = g.at("busy").get<double>();
      gu.h2d = g.at("pcie_h2d").get<double>();
      gu.d2h = g.at("pcie_d2h").get<double>();
      gu.upload_stage = g.at("upload_stage").get<double>();
      gu.tier_wait = g.at("tier_wait").get<double>();
      gu.offered = g.at("offered").get<double>();
      gu.queries = g.at("queries").get<std::uint64_t>();
      u.gpus.push_back(gu);
    }
    r.servers.push_back(std::move(u));
  }
  if (j.contains("embedding_cache")) r.embedding_cache = cache_report_from_json(j.at("embedding_cache"));
  if (j.contains("datacenter")) r.datacenter = datacenter_from_json(j.at("datacenter"));
  if (j.contains("time_series")) r.time_series = time_series_from_json(j.at("time_series"));
  if (j.contains("autoscaling")) {
    const auto& aj = j.at("autoscaling");
    AutoscalingReport a;
    const auto opt = [](const nlohmann::json& o, const char* key) {
      return o.at(key).is_null() ? std::optional<double>() : std::optional<double>(o.at(key).get<double>());
    };
    a.policy = aj.at("policy").get<std::string>();
    a.interval_s = aj.at("interval_s").get<double>();
    a.startup_s = aj.at("startup_s").get<double>();
    a.server_hours = aj.at("server_hours").get<double>();
    a.peak_server_hours = aj.at("peak_server_hours").get<double>();
    a.energy_kwh = opt(aj, "energy_kwh");
    a.peak_energy_kwh = opt(aj, "peak_energy_kwh");
    a.cost = opt(aj, "cost");
    a.peak_cost = opt(aj, "peak_cost");
    for (const auto& gj : aj.at("groups")) {
      ScaledGroupReport g;
      g.name = gj.at("name").get<std::string>();
      g.min = gj.at("min").get<int>();
      g.max = gj.at("max").get<int>();
      g.server_hours = gj.at("server_hours").get<double>();
      g.peak_server_hours = gj.at("peak_server_hours").get<double>();
      g.mean_servers = gj.at("mean_servers").get<double>();
      g.scale_outs = gj.at("scale_outs").get<std::uint64_t>();
      g.scale_ins = gj.at("scale_ins").get<std::uint64_t>();
      g.energy_kwh = opt(gj, "energy_kwh");
      g.peak_energy_kwh = opt(gj, "peak_energy_kwh");
      g.cost = opt(gj, "cost");
      g.peak_cost = opt(gj, "peak_cost");
      a.groups.push_back(std::move(g));
    }
    r.autoscaling = std::move(a);
  }
  if (j.contains("availability")) {
    const auto& aj = j.at("availability");
    AvailabilityReport a;
    a.failures = aj.at("failures").get<std::uint64_t>();
    a.server_down_s = aj.at("server_down_s").get<double>();
    a.mean_servers_up = aj.at("mean_servers_up").get<double>();
    a.all_up_fraction = aj.at("all_up_fraction").get<double>();
    a.most_down = aj.at("most_down").get<int>();
    a.lost = aj.at("queries_lost").get<std::uint64_t>();
    a.measured_lost = aj.at("measured_lost").get<std::uint64_t>();
    a.retries = aj.at("retries").get<std::uint64_t>();
    a.within_sla = aj.at("within_sla").get<double>();
    for (auto [key, field] : {std::pair{"query_nines", &a.query_nines}, {"windows_met", &a.windows_met}, {"window_nines", &a.window_nines}})
      if (!aj.at(key).is_null()) *field = aj.at(key).get<double>();
    r.availability = a;
  }
  if (j.contains("online")) {
    const auto& oj = j.at("online");
    OnlineClimbReport o;
    o.finished = oj.at("finished").get<bool>();
    if (o.finished) o.finished_at_s = oj.at("finished_at_s").get<double>();
    o.climb_queries = oj.at("climb_queries").get<std::uint64_t>();
    o.batch_size = oj.at("final").at("batch_size").get<int>();
    if (!oj.at("final").at("gpu_threshold").is_null()) o.gpu_threshold = oj.at("final").at("gpu_threshold").get<int>();
    for (const auto& sj : oj.at("steps")) {
      OnlineClimbStep s;
      s.batch_size = sj.at("batch_size").get<int>();
      if (!sj.at("gpu_threshold").is_null()) s.gpu_threshold = sj.at("gpu_threshold").get<int>();
      s.phase = sj.at("phase").get<std::string>();
      s.max_qps = sj.at("max_qps").get<double>();
      s.at_limit = sj.at("at_limit").get<bool>();
      s.started_s = sj.at("started_s").get<double>();
      s.decided_s = sj.at("decided_s").get<double>();
      o.steps.push_back(s);
    }
    r.online = std::move(o);
  }
  r.wall_seconds = j.at("engine").at("wall_seconds").get<double>();
  r.requests_simulated = j.at("engine").at("requests_simulated").get<std::uint64_t>();
  r.gpu_queries = j.at("engine").at("gpu_queries").get<std::uint64_t>();
  r.virtual_seconds = j.at("engine").at("virtual_seconds").get<double>();
  return r;
}

}  // namespace recsim
