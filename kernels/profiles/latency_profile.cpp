#include "kernels/profiles/latency_profile.h"

#include "kernels/profiles/curve_fit.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"
#include "workloads/strict_json.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

namespace recsim {
namespace {

nlohmann::ordered_json points_to_json(const std::vector<LatencyPoint>& points) {
  auto a = nlohmann::ordered_json::array();
  for (const auto& p : points)
    a.push_back({{"batch", p.batch}, {"median", p.median_ms}, {"p10", p.p10_ms}, {"p90", p.p90_ms},
                 {"min", p.min_ms}, {"max", p.max_ms}, {"samples", p.samples}});
  return a;
}

std::vector<LatencyPoint> points_from_json(const nlohmann::json& array, const std::string& path) {
  if (!array.is_array() || array.empty()) throw InputError(path, "expected a non-empty array of points");
  std::vector<LatencyPoint> out;
  for (std::size_t i = 0; i < array.size(); ++i) {
    JsonReader r(array[i], path + "." + std::to_string(i));
    LatencyPoint p;
    p.batch = static_cast<int>(r.integer("batch", 1, 1'000'000'000));
    p.median_ms = r.number("median", 0, 1e9, true);
    p.p10_ms = r.number_or("p10", p.median_ms, 0, 1e9);
    p.p90_ms = r.number_or("p90", p.median_ms, 0, 1e9);
    p.min_ms = r.number_or("min", p.median_ms, 0, 1e9);
    p.max_ms = r.number_or("max", p.median_ms, 0, 1e9);
    p.samples = static_cast<int>(r.integer_or("samples", 0, 0, 1'000'000'000));
    // Quantiles of one sample are ordered: inverted ones (p10 > median > p90) would give the
    // median's standard error and a run's spread a negative width. Absent ones are not compared.
    std::vector<std::pair<const char*, double>> given;
    for (const auto& [key, value] : {std::pair<const char*, double>{"min", p.min_ms}, {"p10", p.p10_ms}, {"median", p.median_ms},
                                     {"p90", p.p90_ms}, {"max", p.max_ms}})
      if (r.has(key)) given.emplace_back(key, value);
    for (std::size_t k = 1; k < given.size(); ++k)
      if (given[k - 1].second > given[k].second)
        throw InputError(r.child_path(given[k].first), std::string("expected at least ") + given[k - 1].first + " (" +
                                                           nlohmann::json(given[k - 1].second).dump() +
                                                           "): min <= p10 <= median <= p90 <= max, got " +
                                                           nlohmann::json(given[k].second).dump());
    r.finish();
    if (!out.empty() && p.batch <= out.back().batch)
      throw InputError(r.child_path("batch"), "batch sizes must increase strictly");
    out.push_back(p);
  }
  return out;
}

LatencyCurve to_raw_curve(const std::vector<LatencyPoint>& points) {
  std::vector<LatencyCurve::Point> c;
  for (const auto& p : points) c.push_back({p.batch, p.median_ms / 1e3});
  return LatencyCurve(std::move(c));
}

// An array of points at `key`, checked through LatencyCurve's rules too (positive latencies,
// increasing batches).
std::vector<LatencyPoint> checked_points(JsonReader& r, const std::string& key) {
  auto points = points_from_json(r.array(key), r.child_path(key));
  try {
    to_raw_curve(points);
  } catch (const std::invalid_argument& e) {
    throw InputError(r.child_path(key), e.what());
  }
  return points;
}

// The standard error of a sample median, from the p10-p90 spread (normal: 2.563 sigma) and the
// count: 1.2533 sigma / sqrt(n). Infinite without samples (a computed point).
double median_standard_error(const LatencyPoint& p) {
  if (p.samples <= 0) return std::numeric_limits<double>::infinity();
  return 1.2533 * (p.p90_ms - p.p10_ms) / 2.563 / std::sqrt(static_cast<double>(p.samples));
}

}  // namespace

std::vector<FitInput> fit_inputs(const std::vector<LatencyPoint>& points) {
  std::vector<FitInput> in;
  for (const auto& p : points) in.push_back({p.batch, p.median_ms, median_standard_error(p) / p.median_ms, p.samples <= 0});
  return in;
}

namespace {

// The points as the simulator uses them: fitted (kernels/profiles/curve_fit.h), each median
// replaced by the fit's value and its standard error by the fit's, or raw.
struct UsedPoint {
  int batch;
  double ms, se_ms;
};

std::vector<UsedPoint> used_points(const std::vector<LatencyPoint>& points, ProfileFit mode) {
  std::vector<UsedPoint> out;
  const CurveFit fit = mode == ProfileFit::smooth ? fit_latency_curve(fit_inputs(points)) : CurveFit{};
  if (!fit.smoothed) {
    for (const auto& p : points) out.push_back({p.batch, p.median_ms, median_standard_error(p)});
    return out;
  }
  for (const auto& f : fit.points) out.push_back({f.batch, f.fitted, f.rel_se * f.fitted});
  return out;
}

LatencyCurve to_curve(const std::vector<UsedPoint>& points) {
  std::vector<LatencyCurve::Point> c;
  for (const auto& p : points) c.push_back({p.batch, p.ms / 1e3, std::isfinite(p.se_ms) ? p.se_ms / p.ms : 0.0});
  return LatencyCurve(std::move(c));
}

LatencyCurve to_curve(const std::vector<LatencyPoint>& points, ProfileFit mode) { return to_curve(used_points(points, mode)); }

// A curve measured under other conditions (contention, after idle) beside the alone curve: where its
// value is below the alone curve's by no more than 3 standard errors of the difference, the
// difference is noise and the point takes the alone value; a larger one is kept.
LatencyCurve to_curve_beside(const std::vector<LatencyPoint>& points, const std::vector<LatencyPoint>& alone, ProfileFit mode) {
  std::vector<UsedPoint> kept = used_points(points, mode);
  const std::vector<UsedPoint> base = used_points(alone, mode);
  for (auto& p : kept)
    for (const auto& a : base) {
      if (a.batch != p.batch || p.ms >= a.ms) continue;
      const double se = std::hypot(p.se_ms, a.se_ms);
      if (!(a.ms - p.ms > 3 * se)) p.ms = a.ms;
    }
  return to_curve(kept);
}

}  // namespace

LatencyCurve LatencyProfile::curve(const std::string& model, const std::string& where, ProfileFit mode) const {
  const auto it = models.find(model);
  if (it == models.end()) {
    std::string list;
    for (const auto& [name, m] : models) list += (list.empty() ? "" : ", ") + name;
    throw InputError(where, "the profile has no model \"" + model + "\" (it has: " + list + ")");
  }
  return to_curve(it->second.single, mode);
}

std::optional<LatencyCurve> LatencyProfile::contention_curve(const std::string& model, ProfileFit mode) const {
  const auto it = models.find(model);
  if (it == models.end() || it->second.contention.empty()) return std::nullopt;
  return to_curve_beside(it->second.contention, it->second.single, mode);
}

std::vector<std::pair<int, LatencyCurve>> LatencyProfile::contention_level_curves(const std::string& model, ProfileFit mode) const {
  std::vector<std::pair<int, LatencyCurve>> out;
  const auto it = models.find(model);
  if (it == models.end()) return out;
  for (const auto& [instances, points] : it->second.contention_levels)
    out.emplace_back(instances, to_curve_beside(points, it->second.single, mode));
  return out;
}

std::vector<std::pair<int, LatencyCurve>> LatencyProfile::intra_op_thread_curves(const std::string& model, ProfileFit mode) const {
  std::vector<std::pair<int, LatencyCurve>> out;
  const auto it = models.find(model);
  if (it == models.end()) return out;
  for (const auto& [threads, points] : it->second.intra_op_threads) out.emplace_back(threads, to_curve(points, mode));
  return out;
}

std::vector<AfterIdleCurves> LatencyProfile::after_idle_curves(const std::string& model, ProfileFit mode) const {
  std::vector<AfterIdleCurves> out;
  const auto it = models.find(model);
  if (it == models.end()) return out;
  for (const auto& a : it->second.after_idle) {
    AfterIdleCurves c{a.gap_ms, to_curve_beside(a.first, it->second.single, mode), std::nullopt};
    if (!a.next.empty()) c.next = to_curve_beside(a.next, it->second.single, mode);
    out.push_back(std::move(c));
  }
  return out;
}

std::optional<LatencyCurve> LatencyProfile::cold_size_curve(const std::string& model, ProfileFit mode) const {
  const auto it = models.find(model);
  if (it == models.end() || it->second.cold_size.empty()) return std::nullopt;
  return to_curve_beside(it->second.cold_size, it->second.single, mode);
}

std::vector<RunSpreadPoint> LatencyProfile::run_spread(const std::string& model) const {
  std::vector<RunSpreadPoint> out;
  const auto it = models.find(model);
  if (it == models.end()) return out;
  for (const auto& p : it->second.run_spread) out.push_back({p.batch, p.p10_ms, p.p90_ms});  // RunVariation clamps to 1
  return out;
}

double LatencyProfile::copy_fixed_ms(const std::string& model, bool upload) const {
  const auto it = models.find(model);
  if (it == models.end()) return 0.0;
  const std::vector<LatencyPoint>& points = upload ? it->second.upload : it->second.download;
  if (points.empty()) return 0.0;
  double smallest = points.front().median_ms;
  for (const auto& p : points) smallest = std::min(smallest, p.median_ms);
  if (points.size() == 1) return smallest;
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& p : points) {
    n += 1;
    sx += p.batch;
    sy += p.median_ms;
    sxx += static_cast<double>(p.batch) * p.batch;
    sxy += p.batch * p.median_ms;
  }
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double intercept = (sy - slope * sx) / n;
  return std::clamp(intercept, 0.0, smallest);
}

std::optional<LatencyCurve> LatencyProfile::kernel_curve(const std::string& model, ProfileFit mode) const {
  const auto it = models.find(model);
  if (it == models.end() || it->second.kernel_only.empty()) return std::nullopt;
  return to_curve(it->second.kernel_only, mode);
}

nlohmann::ordered_json profile_to_json(const LatencyProfile& p) {
  nlohmann::ordered_json j;
  j["format"] = "recsim-profile/1";
  j["device"] = p.device;
  j["source"] = p.source;
  j["provenance"] = p.provenance;
  nlohmann::ordered_json models = nlohmann::ordered_json::object();
  for (const auto& [name, m] : p.models) {
    nlohmann::ordered_json e;
    e["rows_scale"] = m.rows_scale;
    e["latency_ms"] = points_to_json(m.single);
    if (!m.contention.empty())
      e["contention"] = {{"instances", m.contention_instances}, {"latency_ms", points_to_json(m.contention)}};
    if (!m.contention_levels.empty()) {
      nlohmann::ordered_json levels = nlohmann::ordered_json::array();
      for (const auto& [instances, points] : m.contention_levels)
        levels.push_back({{"instances", instances}, {"latency_ms", points_to_json(points)}});
      e["contention_levels"] = levels;
    }
    if (!m.intra_op_threads.empty()) {
      nlohmann::ordered_json threads = nlohmann::ordered_json::array();
      for (const auto& [t, points] : m.intra_op_threads) threads.push_back({{"threads", t}, {"latency_ms", points_to_json(points)}});
      e["intra_op_threads"] = threads;
    }
    if (!m.after_idle.empty()) {
      nlohmann::ordered_json gaps = nlohmann::ordered_json::array();
      for (const auto& a : m.after_idle) {
        nlohmann::ordered_json g = {{"gap_ms", a.gap_ms}, {"latency_ms", points_to_json(a.first)}};
        if (!a.next.empty()) g["next_latency_ms"] = points_to_json(a.next);
        gaps.push_back(g);
      }
      e["after_idle"] = gaps;
    }
    if (!m.cold_size.empty()) e["cold_size_ms"] = points_to_json(m.cold_size);
    if (!m.run_spread.empty()) e["run_spread"] = points_to_json(m.run_spread);
    if (!m.kernel_only.empty()) e["kernel_only_ms"] = points_to_json(m.kernel_only);
    if (!m.upload.empty()) e["upload_ms"] = points_to_json(m.upload);
    if (!m.download.empty()) e["download_ms"] = points_to_json(m.download);
    models[name] = e;
  }
  j["models"] = models;
  return j;
}

namespace {

LatencyProfile parse_latency_profile(const std::string& text, const std::string& path);

}  // namespace

LatencyProfile load_latency_profile(const std::string& path) {
  // Parsed once per process while the file's text is the same: a sweep validates every point, each
  // parsing the same profiles (about 50 ms a point for the shipped CPU profile, most of it fits).
  std::string text = read_json_text(path);
  static std::mutex mutex;
  static std::map<std::string, std::pair<std::string, LatencyProfile>> cache;
  {
    std::lock_guard lock(mutex);
    if (const auto it = cache.find(path); it != cache.end() && it->second.first == text) return it->second.second;
  }
  LatencyProfile p = parse_latency_profile(text, path);
  std::lock_guard lock(mutex);
  if (cache.size() >= 64) cache.clear();  // bounded: a process reads a few profiles
  cache[path] = {std::move(text), p};
  return p;
}

namespace {

LatencyProfile parse_latency_profile(const std::string& text, const std::string& path) {
  const auto doc = parse_json_strict(text, path);
  LatencyProfile p;
  try {
    JsonReader r(doc, "");
    if (r.string("format") != "recsim-profile/1")
      throw InputError("format", "expected \"recsim-profile/1\"");
    p.device = r.choice("device", {"cpu", "gpu"});
    p.source = r.choice("source", {"measured", "analytic"});
    JsonReader prov = r.object("provenance");
    (void)prov;
    p.provenance = doc.at("provenance");
    JsonReader models = r.object("models");
    for (const auto& [name, value] : doc.at("models").items()) {
      JsonReader m = models.object(name);
      ModelLatency ml;
      ml.rows_scale = m.number_or("rows_scale", 1.0, 0, 1, true);
      ml.single = checked_points(m, "latency_ms");
      if (m.has("contention")) {
        JsonReader c = m.object("contention");
        ml.contention_instances = static_cast<int>(c.integer("instances", 1, 1'000'000));
        ml.contention = points_from_json(c.array("latency_ms"), c.child_path("latency_ms"));
        c.finish();
      }
      if (m.has("contention_levels")) {
        if (ml.contention.empty()) throw InputError(m.child_path("contention_levels"), "needs the top level, contention");
        const nlohmann::json& items = m.array("contention_levels");
        int last = 1;
        for (std::size_t k = 0; k < items.size(); ++k) {
          const std::string where = m.child_path("contention_levels") + "." + std::to_string(k);
          if (!items[k].is_object()) throw InputError(where, "expected an object, got " + json_type_name(items[k]));
          JsonReader l(items[k], where);
          const int instances = static_cast<int>(l.integer("instances", 2, 1'000'000));
          if (instances <= last || instances >= ml.contention_instances)
            throw InputError(l.child_path("instances"), "expected increasing levels from 2, below contention.instances (" +
                                                            std::to_string(ml.contention_instances) + ")");
          last = instances;
          auto points = checked_points(l, "latency_ms");
          l.finish();
          ml.contention_levels.emplace_back(instances, std::move(points));
        }
      }
      if (m.has("intra_op_threads")) {
        const nlohmann::json& items = m.array("intra_op_threads");
        int last = 1;
        for (std::size_t k = 0; k < items.size(); ++k) {
          const std::string where = m.child_path("intra_op_threads") + "." + std::to_string(k);
          if (!items[k].is_object()) throw InputError(where, "expected an object, got " + json_type_name(items[k]));
          JsonReader l(items[k], where);
          const int threads = static_cast<int>(l.integer("threads", 2, 1'000'000));
          if (threads <= last) throw InputError(l.child_path("threads"), "expected thread counts increasing from 2");
          last = threads;
          auto points = checked_points(l, "latency_ms");
          l.finish();
          ml.intra_op_threads.emplace_back(threads, std::move(points));
        }
      }
      if (m.has("after_idle")) {
        // One gap (an object, as profiles before 2026-12-05 have it) or several (an array, increasing).
        const auto read_gap = [&](const nlohmann::json& value, const std::string& where) {
          if (!value.is_object()) throw InputError(where, "expected an object, got " + json_type_name(value));
          JsonReader a(value, where);
          ModelLatency::AfterIdle gap;
          gap.gap_ms = a.number("gap_ms", 0.0, 1e6, true);
          if (!ml.after_idle.empty() && gap.gap_ms <= ml.after_idle.back().gap_ms)
            throw InputError(a.child_path("gap_ms"), "expected gaps increasing");
          gap.first = checked_points(a, "latency_ms");
          if (a.has("next_latency_ms")) gap.next = checked_points(a, "next_latency_ms");
          a.finish();
          ml.after_idle.push_back(std::move(gap));
        };
        const std::string where = m.child_path("after_idle");
        const nlohmann::json& value = m.value("after_idle");
        if (value.is_array()) {
          if (value.empty()) throw InputError(where, "expected at least one gap");
          for (std::size_t k = 0; k < value.size(); ++k) read_gap(value[k], where + "." + std::to_string(k));
        } else {
          read_gap(value, where);
        }
      }
      if (m.has("cold_size_ms")) ml.cold_size = checked_points(m, "cold_size_ms");
      if (m.has("run_spread")) {
        ml.run_spread = checked_points(m, "run_spread");
        for (std::size_t k = 0; k < ml.run_spread.size(); ++k)
          if (!(ml.run_spread[k].p10_ms > 0))
            throw InputError(m.child_path("run_spread") + "." + std::to_string(k) + ".p10", "expected a ratio > 0");
      }
      if (m.has("kernel_only_ms")) ml.kernel_only = points_from_json(m.array("kernel_only_ms"), m.child_path("kernel_only_ms"));
      if (m.has("upload_ms")) ml.upload = points_from_json(m.array("upload_ms"), m.child_path("upload_ms"));
      if (m.has("download_ms")) ml.download = points_from_json(m.array("download_ms"), m.child_path("download_ms"));
      m.finish();
      p.models[name] = std::move(ml);
    }
    r.finish();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  return p;
}

}  // namespace

}  // namespace recsim
