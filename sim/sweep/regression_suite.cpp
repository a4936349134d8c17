#include "sim/sweep/regression_suite.h"

#include "sim/provenance/content_hash.h"
#include "sim/provenance/provenance.h"
#include "workloads/input_error.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace recsim {

const std::vector<std::string>& suite_metric_paths() {
  static const std::vector<std::string> paths = {
      "saturated", "sla.met", "queries.completed", "throughput_qps", "latency_ms.mean", "latency_ms.p50", "latency_ms.p95",
      "latency_ms.p99", "sla.observed_ms", "wait_ms.mean", "utilization.cpu", "utilization.gpu", "engine.requests_simulated",
      "engine.gpu_queries", "embedding_cache.hit_rate", "embedding_cache.default_fraction", "embedding_cache.synchronous_fraction",
      "datacenter.latency_split_ms.network", "datacenter.latency_split_ms.queueing", "datacenter.latency_split_ms.service",
      "datacenter.energy.mean_power_w", "datacenter.energy.joules_per_query", "datacenter.imbalance.cv",
      "time_series.summary.fraction_met", "availability.within_sla", "availability.server_down_s", "availability.retries",
      "autoscaling.server_hours", "autoscaling.energy_kwh"};
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

double prediction_factor(int seeds, double per_metric_false_fail) {
  // A new draw X and the mean and sd of n = seeds draws: (X - mean) / (sd sqrt(1 + 1/n)) is
  // Student's t with n - 1 degrees of freedom under normal seed-to-seed variation.
  const boost::math::students_t t(seeds - 1);
  return boost::math::quantile(t, 1 - per_metric_false_fail / 2) * std::sqrt(1 + 1.0 / seeds);
}

nlohmann::ordered_json record_expected(const std::string& scenario_file, const std::vector<nlohmann::json>& runs,
                                       double per_metric_false_fail, const nlohmann::ordered_json& inputs,
                                       const nlohmann::ordered_json& recorded_with, double sla_target_ms) {
  using ojson = nlohmann::ordered_json;
  if (runs.size() < 3) throw std::invalid_argument("record_expected needs at least three runs");
  const int n = static_cast<int>(runs.size());
  const double factor = prediction_factor(n, per_metric_false_fail);
  ojson metrics = ojson::object();
  // The numbers first: sla.met's check depends on sla.observed_ms's band. A metric positive in every
  // run is compared in log space (latencies, waits, rates: right-skewed over seeds, a long busy
  // period stretching a percentile far more than a short one shrinks it); one that can be 0 or
  // negative, linearly.
  // A percentile with few measured queries above it rests on a handful of the slowest queries, whose
  // spread over seeds has tails far heavier than a normal's (a run's p99 of 5,000 queries is its
  // 45th slowest query): such a percentile is recorded but not checked.
  const auto tail_queries = [&](const std::string& path) -> std::optional<double> {
    double q = 0;
    if (path == "latency_ms.p50") q = 0.50;
    else if (path == "latency_ms.p95") q = 0.95;
    else if (path == "latency_ms.p99") q = 0.99;
    else if (path == "sla.observed_ms" && metric_at(runs.front(), "sla.percentile").is_number())
      q = metric_at(runs.front(), "sla.percentile").get<double>() / 100;
    else return std::nullopt;
    const auto measured = metric_at(runs.front(), "queries.measured");
    return measured.is_number() ? std::optional<double>(measured.get<double>() * (1 - q)) : std::nullopt;
  };
  for (const auto& path : suite_metric_paths()) {
    const auto value = metric_at(runs.front(), path);
    if (!value.is_number()) continue;
    if (const auto above = tail_queries(path); above && *above < kMinQueriesAbovePercentile) {
      char why[160];
      std::snprintf(why, sizeof why, "%.0f measured queries above this percentile (fewer than %.0f): too few for a stable check", *above,
                    kMinQueriesAbovePercentile);
      metrics[path] = {{"expected", value}, {"unchecked", why}};
      continue;
    }
    std::vector<double> xs;
    for (const auto& r : runs)
      if (const auto v = metric_at(r, path); v.is_number()) xs.push_back(v.get<double>());
    const bool log_scale = std::all_of(xs.begin(), xs.end(), [](double x) { return x > 0; });
    double sum = 0, sum2 = 0;
    for (double x : xs) {
      const double y = log_scale ? std::log(x) : x;
      sum += y;
      sum2 += y * y;
    }
    const int m = static_cast<int>(xs.size());
    const double mean = sum / m;
    const double sd = m >= 2 ? std::sqrt(std::max(0.0, (sum2 - sum * sum / m) / (m - 1))) : 0.0;
    if (log_scale) {
      // At least 1e-9 relative: metrics that do not vary with the seed must match to rounding.
      metrics[path] = {{"expected", std::exp(mean)}, {"scale", "log"}, {"tolerance", std::max(factor * sd, 1e-9)}, {"seed_sd", sd}, {"seeds", m}};
    } else {
      metrics[path] = {{"expected", mean},
                       {"scale", "linear"},
                       {"tolerance", std::max(factor * sd, 1e-9 * std::max(1.0, std::fabs(mean)))},
                       {"seed_sd", sd},
                       {"seeds", m}};
    }
  }
  for (const auto& path : suite_metric_paths()) {
    const auto value = metric_at(runs.front(), path);
    if (!value.is_boolean()) continue;
    bool varies = false;
    for (const auto& r : runs) varies = varies || metric_at(r, path) != value;
    // sla.met flips when sla.observed_ms crosses the target: unchecked where the target lies inside
    // observed_ms's tolerance band, even if no recorded seed flipped it.
    if (path == "sla.met" && metrics.contains("sla.observed_ms") && metrics["sla.observed_ms"].contains("tolerance"))
      varies = varies || std::fabs(deviation_in_tolerances(metrics["sla.observed_ms"], sla_target_ms)) <= 1;
    metrics[path] = varies ? ojson{{"expected", value.get<bool>()}, {"varies_with_seed", true}} : ojson{{"expected", value.get<bool>()}};
  }
  char rule[256];
  std::snprintf(rule, sizeof rule,
                "mean over %d seeds (of the logs where every run is positive) +- t(%d dof, two-sided %.3g) x sd x sqrt(1 + 1/%d) = "
                "%.3f sd (at least 1e-9 relative)",
                n, n - 1, per_metric_false_fail, n, factor);
  return {{"scenario", scenario_file},
          {"recorded_with", recorded_with},
          {"inputs", inputs},
          {"per_metric_false_fail", per_metric_false_fail},
          {"t_quantile", factor / std::sqrt(1 + 1.0 / n)},
          {"tolerance_rule", rule},
          {"metrics", metrics}};
}

nlohmann::ordered_json suite_inputs(const Scenario& scenario, const std::string& suite_dir) {
  namespace fs = std::filesystem;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  const fs::path base = fs::weakly_canonical(fs::path(suite_dir));
  for (const auto& file : scenario.input_files())
    files.push_back({{"path", fs::weakly_canonical(fs::path(file)).lexically_relative(base).generic_string()},
                     {"sha256", sha256_file_hex(file)}});
  return {{"scenario_sha256", scenario_sha256(scenario)}, {"files", files}};
}

std::string inputs_difference(const nlohmann::json& recorded, const nlohmann::json& now) {
  if (!recorded.is_object() || !recorded.contains("scenario_sha256") || !recorded.contains("files") || !recorded["files"].is_array())
    return "recorded without the scenario's and its inputs' hashes";
  if (recorded["scenario_sha256"] != now["scenario_sha256"]) return "the scenario changed since it was recorded";
  for (const auto& f : now["files"]) {
    bool found = false, same = false;
    for (const auto& r : recorded["files"])
      if (r.is_object() && r.value("path", "") == f["path"]) {
        found = true;
        same = r.value("sha256", "") == f["sha256"];
      }
    if (!found) return "it reads " + f["path"].get<std::string>() + ", which it did not when recorded";
    if (!same) return "its input " + f["path"].get<std::string>() + " changed since it was recorded";
  }
  if (recorded["files"].size() != now["files"].size()) return "it reads fewer files than when recorded";
  return "";
}

double deviation_in_tolerances(const nlohmann::json& spec, double actual) {
  const double expected = spec["expected"].get<double>(), tolerance = spec["tolerance"].get<double>();
  const bool log_scale = spec.value("scale", "linear") == "log";
  const double d = log_scale ? (actual > 0 ? std::log(actual / expected) : -std::numeric_limits<double>::infinity()) : actual - expected;
  if (d == 0) return 0;
  if (!(tolerance > 0)) return d > 0 ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
  return d / tolerance;
}

std::pair<double, double> allowed_range(const nlohmann::json& spec) {
  const double expected = spec["expected"].get<double>(), tolerance = spec["tolerance"].get<double>();
  if (spec.value("scale", "linear") == "log") return {expected * std::exp(-tolerance), expected * std::exp(tolerance)};
  return {expected - tolerance, expected + tolerance};
}

std::vector<MetricCheck> check_against(const nlohmann::json& expected, const nlohmann::json& actual, const std::string& where) {
  if (!expected.is_object() || !expected.contains("metrics") || !expected["metrics"].is_object())
    throw InputError(where, "expected an object with \"metrics\" (recsim check --update writes it)");
  if (expected["metrics"].empty()) throw InputError(where + ": metrics", "is empty: nothing would be checked (recsim check --update records them)");
  std::vector<MetricCheck> out;
  for (const auto& [path, spec] : expected["metrics"].items()) {
    MetricCheck c;
    c.metric = path;
    if (!spec.is_object() || !spec.contains("expected")) throw InputError(where + ": metrics." + path, "expected an object with \"expected\"");
    c.expected = spec["expected"];
    c.actual = metric_at(actual, path);
    if (spec.contains("unchecked")) {
      c.checked = false;
      c.note = spec["unchecked"].is_string() ? spec["unchecked"].get<std::string>() : "not checked";
      out.push_back(std::move(c));
      continue;
    }
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
      const std::string scale = spec.value("scale", "linear");
      if (scale != "linear" && scale != "log")
        throw InputError(where + ": metrics." + path + ".scale", "expected \"linear\" or \"log\"");
      if (scale == "log" && !(c.expected.get<double>() > 0))
        throw InputError(where + ": metrics." + path + ".expected", "expected a number > 0 (scale log)");
      c.tolerance = spec["tolerance"].get<double>();
      c.band = allowed_range(spec);
      if (!c.actual.is_number()) {
        c.pass = false;
        c.note = "missing from the results";
      } else {
        c.deviation = c.actual.get<double>() - c.expected.get<double>();
        c.in_tolerances = deviation_in_tolerances(spec, c.actual.get<double>());
        c.pass = std::fabs(*c.in_tolerances) <= 1;
        if (expected.contains("t_quantile") && expected["t_quantile"].is_number())
          c.z = *c.in_tolerances * expected["t_quantile"].get<double>();
      }
    } else {
      throw InputError(where + ": metrics." + path + ".expected", "expected a number or a boolean");
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace recsim
