#include "kernels/profiles/tier_profile.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <stdexcept>

namespace recsim {

namespace {

// One set of curves of a tier: `key` maps each vector dimension to its measured points.
void read_curves(JsonReader& tier, const nlohmann::json& value, const char* key, std::map<int, LatencyCurve>& out) {
  JsonReader dims = tier.object(key);
  for (const auto& [dim_text, points] : value.at(key).items()) {
    const std::string dims_path = dims.child_path(dim_text);
    int dim = 0;
    try {
      std::size_t used = 0;
      dim = std::stoi(dim_text, &used);
      if (used != dim_text.size() || dim < 1) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw InputError(dims_path, "expected a vector dimension (an integer >= 1) as the key");
    }
    const auto& array = dims.array(dim_text);
    std::vector<LatencyCurve::Point> curve;
    for (std::size_t i = 0; i < array.size(); ++i) {
      JsonReader point(array[i], dims_path + "." + std::to_string(i));
      const int keys = static_cast<int>(point.integer("keys", 1, 1'000'000'000));
      const double ms = point.number("median_ms", 0.0, 1e9, true);
      const double p10 = point.number("p10_ms", 0.0, 1e9);
      const double p90 = point.number("p90_ms", 0.0, 1e9);
      if (p10 > ms) throw InputError(point.child_path("p10_ms"), "expected at most median_ms (" + nlohmann::json(ms).dump() + "): quantiles are ordered, got " + nlohmann::json(p10).dump());
      if (p90 < ms) throw InputError(point.child_path("p90_ms"), "expected at least median_ms (" + nlohmann::json(ms).dump() + "): quantiles are ordered, got " + nlohmann::json(p90).dump());
      point.integer("samples", 1, std::int64_t{1} << 40);
      point.finish();
      curve.push_back({keys, ms / 1e3});
    }
    try {
      out.emplace(dim, LatencyCurve(std::move(curve)));
    } catch (const std::invalid_argument& e) {
      throw InputError(dims_path, e.what());
    }
  }
  dims.finish();
}

const LatencyCurve& find_curve(const std::map<std::string, std::map<int, LatencyCurve>>& curves, const std::string& tier,
                               int dim, const char* what) {
  const auto t = curves.find(tier);
  if (t == curves.end()) throw std::out_of_range(std::string("the tier profile has no ") + what + " for tier \"" + tier + "\"");
  const auto d = t->second.find(dim);
  if (d == t->second.end())
    throw std::out_of_range(std::string("the tier profile has no ") + what + " at dimension " + std::to_string(dim) + " for \"" + tier + "\"");
  return d->second;
}

}  // namespace

const LatencyCurve& TierProfile::curve(const std::string& tier, int dim) const {
  return find_curve(curves, tier, dim, "lookup timings");
}

const LatencyCurve& TierProfile::write_curve(const std::string& tier, int dim) const {
  return find_curve(write_curves, tier, dim, "write timings");
}

TierProfile load_tier_profile(const std::string& path) {
  const auto doc = read_json_file(path);
  TierProfile p;
  try {
    JsonReader r(doc, "");
    if (r.string("format") != "recsim-tier-profile/1") throw InputError("format", "expected \"recsim-tier-profile/1\"");
    r.choice("device", {"tiers"});
    p.source = r.choice("source", {"measured"});
    r.object("provenance");  // free-form: where and how it was measured
    JsonReader tiers = r.object("tiers");
    for (const auto& [name, value] : doc.at("tiers").items()) {
      JsonReader t = tiers.object(name);
      p.components[name] = t.string("component");
      t.integer("rows", 1, std::int64_t{1} << 40);
      read_curves(t, value, "dims", p.curves[name]);
      if (t.has("write_dims")) read_curves(t, value, "write_dims", p.write_curves[name]);
      t.finish();
    }
    r.finish();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  return p;
}

}  // namespace recsim
