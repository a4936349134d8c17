#include "sim/metrics/time_series_json.h"

#include "sim/metrics/csv_table.h"
#include "sim/metrics/json_optional.h"

#include <functional>

namespace recsim {
namespace {

using json = nlohmann::ordered_json;


json latency_json(const std::optional<WindowLatency>& l) {
  if (!l) return nullptr;
  return {{"mean", l->mean}, {"p50", l->p50}, {"p95", l->p95}, {"p99", l->p99}, {"max", l->max}};
}

json window_json(const SeriesWindow& w) {
  json groups = json::array(), models = json::array();
  for (const auto& g : w.groups)
    groups.push_back({{"name", g.name}, {"servers_up", g.servers_up}, {"cpu_utilization", g.cpu_utilization},
                      {"gpu_utilization", optional_to_json(g.gpu_utilization)}, {"power_w", optional_to_json(g.power_w)}});
  for (const auto& m : w.models)
    models.push_back({{"name", m.name}, {"completed", m.completed}, {"observed_ms", optional_to_json(m.observed_ms)}, {"met", optional_to_json(m.met)}});
  return {{"start_s", w.start_s},
          {"end_s", w.end_s},
          {"arrived", w.arrived},
          {"completed", w.completed},
          {"lost", w.lost},
          {"retried", w.retried},
          {"offered_qps", w.offered_qps},
          {"served_qps", w.served_qps},
          {"in_system", w.in_system},
          {"mean_in_system", w.mean_in_system},
          {"latency_ms", latency_json(w.latency_ms)},
          {"sla",
           {{"met", optional_to_json(w.sla_met)},
            {"observed_ms", optional_to_json(w.sla_observed_ms)},
            {"target_ms", w.sla_met ? json(w.sla_target_ms) : json(nullptr)},
            {"model", w.sla_met ? json(w.sla_model) : json(nullptr)}}},
          {"cpu_utilization", w.cpu_utilization},
          {"gpu_utilization", optional_to_json(w.gpu_utilization)},
          {"power_w", optional_to_json(w.power_w)},
          {"servers_up", w.servers_up},
          {"groups", groups},
          {"models", models}};
}

SeriesWindow window_from_json(const nlohmann::json& j) {
  SeriesWindow w;
  w.start_s = j.at("start_s").get<double>();
  w.end_s = j.at("end_s").get<double>();
  w.arrived = j.at("arrived").get<std::uint64_t>();
  w.completed = j.at("completed").get<std::uint64_t>();
  w.lost = j.at("lost").get<std::uint64_t>();
  w.retried = j.at("retried").get<std::uint64_t>();
  w.offered_qps = j.at("offered_qps").get<double>();
  w.served_qps = j.at("served_qps").get<double>();
  w.in_system = j.at("in_system").get<std::uint64_t>();
  w.mean_in_system = j.at("mean_in_system").get<double>();
  if (const auto& l = j.at("latency_ms"); !l.is_null())
    w.latency_ms = WindowLatency{l.at("mean").get<double>(), l.at("p50").get<double>(), l.at("p95").get<double>(),
                                 l.at("p99").get<double>(), l.at("max").get<double>()};
  const auto& sla = j.at("sla");
  w.sla_met = optional_from_json<bool>(sla, "met");
  w.sla_observed_ms = optional_from_json<double>(sla, "observed_ms");
  if (w.sla_met) {
    w.sla_target_ms = sla.at("target_ms").get<double>();
    w.sla_model = sla.at("model").get<std::string>();
  }
  w.cpu_utilization = j.at("cpu_utilization").get<double>();
  w.gpu_utilization = optional_from_json<double>(j, "gpu_utilization");
  w.power_w = optional_from_json<double>(j, "power_w");
  w.servers_up = j.at("servers_up").get<double>();
  for (const auto& g : j.at("groups"))
    w.groups.push_back({g.at("name").get<std::string>(), g.at("servers_up").get<double>(), g.at("cpu_utilization").get<double>(),
                        optional_from_json<double>(g, "gpu_utilization"), optional_from_json<double>(g, "power_w")});
  for (const auto& m : j.at("models"))
    w.models.push_back({m.at("name").get<std::string>(), m.at("completed").get<std::uint64_t>(), optional_from_json<double>(m, "observed_ms"),
                        optional_from_json<bool>(m, "met")});
  return w;
}

}  // namespace

nlohmann::ordered_json time_series_to_json(const TimeSeriesReport& r) {
  json windows = json::array();
  for (const auto& w : r.windows) windows.push_back(window_json(w));
  const TimeSeriesSummary& s = r.summary;
  json worst = nullptr;
  if (s.worst) {
    const SeriesWindow& w = r.windows[*s.worst];
    worst = {{"index", *s.worst}, {"start_s", w.start_s}, {"model", w.sla_model}, {"observed_ms", optional_to_json(w.sla_observed_ms)},
             {"target_ms", w.sla_target_ms}};
  }
  return {{"window_s", r.window_s},
          {"measurement_start_s", r.measurement_start_s},
          {"summary",
           {{"windows", s.windows},
            {"judged", s.judged},
            {"met", s.met},
            {"fraction_met", optional_to_json(s.fraction_met)},
            {"queries_in_missed_windows", s.queries_in_missed_windows},
            {"first_missed_s", optional_to_json(s.first_missed_s)},
            {"worst", worst}}},
          {"windows", windows}};
}

TimeSeriesReport time_series_from_json(const nlohmann::json& j) {
  TimeSeriesReport r;
  r.window_s = j.at("window_s").get<double>();
  r.measurement_start_s = j.at("measurement_start_s").get<double>();
  for (const auto& w : j.at("windows")) r.windows.push_back(window_from_json(w));
  const auto& s = j.at("summary");
  r.summary.windows = s.at("windows").get<std::uint64_t>();
  r.summary.judged = s.at("judged").get<std::uint64_t>();
  r.summary.met = s.at("met").get<std::uint64_t>();
  r.summary.fraction_met = optional_from_json<double>(s, "fraction_met");
  r.summary.queries_in_missed_windows = s.at("queries_in_missed_windows").get<double>();
  r.summary.first_missed_s = optional_from_json<double>(s, "first_missed_s");
  if (!s.at("worst").is_null()) r.summary.worst = s.at("worst").at("index").get<std::size_t>();
  return r;
}

std::string time_series_csv(const TimeSeriesReport& r) {
  // The window's JSON flattened: nested keys dotted, groups and models by name.
  const std::function<void(const json&, const std::string&, json&)> flatten = [&flatten](const json& v, const std::string& at, json& row) {
    if (v.is_object()) {
      for (const auto& [k, x] : v.items()) flatten(x, at.empty() ? k : at + "." + k, row);
    } else if (v.is_array()) {
      for (const auto& item : v)
        for (const auto& [k, x] : item.items())
          if (k != "name") flatten(x, at + "." + item.at("name").get<std::string>() + "." + k, row);
    } else {
      row[at] = v;
    }
  };
  const json no_latency = latency_json(WindowLatency{});
  std::vector<json> rows;
  for (const auto& w : r.windows) {
    json j = window_json(w);
    if (j["latency_ms"].is_null())  // the same columns in every row
      for (const auto& [k, x] : no_latency.items()) j["latency_ms"][k] = nullptr;
    json row = json::object();
    flatten(j, "", row);
    rows.push_back(std::move(row));
  }
  if (rows.empty()) return "start_s,end_s\n";
  return table_csv(rows);
}

}  // namespace recsim
