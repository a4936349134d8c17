#include "sim/sweep/regression_suite.h"

#include "workloads/input_error.h"

#include <cmath>

namespace recsim {

const std::vector<std::string>& suite_metric_paths() {
  static const std::vector<std::string> paths = {
      "saturated", "sla.met", "queries.completed", "throughput_qps", "latency_ms.mean", "latency_ms.p50", "latency_ms.p95",
      "latency_ms.p99", "sla.observed_ms", "wait_ms.mean", "utilization.cpu", "utilization.gpu", "engine.requests_simulated",
      "engine.gpu_queries", "embedding_cache.hit_rate", "embedding_cache.default_fraction", "embedding_cache.synchronous_fraction",
      "datacenter.latency_split_ms.network", "datacenter.latency_split_ms.queueing", "datacenter.latency_split_ms.service",
      "datacenter.energy.mean_power_w", "datacenter.energy.joules_per_query", "datacenter.imbalance.cv"};
  return paths;
}

nlohmann::json metric_at(const nlohmann::json& results, const std::string& dotted) {
  const nlohmann::json* at = &results;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const auto dot = dotted.find('.', start);
    const std::string key = dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!at->is_object() || !at->contains(key)) return nullptr;
    at = &(*at)[key];
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return *at;
}

nlohmann::ordered_json record_expected(const std::string& scenario_file, const nlohmann::json& at_seed,
                                       const std::vector<nlohmann::json>& other_seeds, const nlohmann::ordered_json& recorded_with) {
  using ojson = nlohmann::ordered_json;
  ojson metrics = ojson::object();
  for (const auto& path : suite_metric_paths()) {
    const auto value = metric_at(at_seed, path);
    if (value.is_boolean()) {
      bool varies = false;
      for (const auto& r : other_seeds) varies = varies || metric_at(r, path) != value;
      metrics[path] = varies ? ojson{{"expected", value.get<bool>()}, {"varies_with_seed", true}} : ojson{{"expected", value.get<bool>()}};
    } else if (value.is_number()) {
      double sum = 0, sum2 = 0;
      int n = 0;
      for (const auto& r : other_seeds) {
        const auto v = metric_at(r, path);
        if (!v.is_number()) continue;
        sum += v.get<double>();
        sum2 += v.get<double>() * v.get<double>();
        ++n;
      }
      double sd = 0;
      if (n >= 2) sd = std::sqrt(std::max(0.0, (sum2 - sum * sum / n) / (n - 1)));
      const double expected = value.get<double>();
      // 4 standard deviations, and never below a relative 1e-9 (metrics that do not vary with the
      // seed must then match to rounding).
      const double tolerance = std::max(4 * sd, 1e-9 * std::max(1.0, std::fabs(expected)));
      metrics[path] = {{"expected", value}, {"tolerance", tolerance}, {"seed_sd", sd}, {"seeds", n}};
    }
  }
  return {{"scenario", scenario_file},
          {"recorded_with", recorded_with},
          {"tolerance_rule", "4 x the sample standard deviation of the metric over the other seeds (at least 1e-9 relative)"},
          {"metrics", metrics}};
}

std::vector<MetricCheck> check_against(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& where) {
  if (!expected.is_object() || !expected.contains("metrics") || !expected["metrics"].is_object())
    throw InputError(where, "expected an object with \"metrics\" (recsim check --update writes it)");
  std::vector<MetricCheck> out;
  for (const auto& [path, spec] : expected["metrics"].items()) {
    MetricCheck c;
    c.metric = path;
    if (!spec.is_object() || !spec.contains("expected")) throw InputError(where + ": metrics." + path, "expected an object with \"expected\"");
    c.expected = spec["expected"];
    c.actual = metric_at(actual, path);
    if (c.expected.is_boolean()) {
      if (spec.value("varies_with_seed", false)) {
        c.checked = false;
        c.note = "varies with the seed: not checked";
      } else {
        c.pass = c.actual == c.expected;
      }
    } else if (c.expected.is_number()) {
      if (!spec.contains("tolerance") || !spec["tolerance"].is_number() || !(spec["tolerance"].get<double>() >= 0))
        throw InputError(where + ": metrics." + path + ".tolerance", "expected a number >= 0");
      c.tolerance = spec["tolerance"].get<double>();
      if (!c.actual.is_number()) {
        c.pass = false;
        c.note = "missing from the results";
      } else {
        c.deviation = c.actual.get<double>() - c.expected.get<double>();
        c.pass = std::fabs(*c.deviation) <= *c.tolerance;
      }
    } else {
      throw InputError(where + ": metrics." + path + ".expected", "expected a number or a boolean");
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace recsim
