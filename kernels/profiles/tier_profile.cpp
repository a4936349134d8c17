#include "kernels/profiles/tier_profile.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <stdexcept>

namespace recsim {

const LatencyCurve& TierProfile::curve(const std::string& tier, int dim) const {
  const auto t = curves.find(tier);
  if (t == curves.end()) throw std::out_of_range("the tier profile has no tier \"" + tier + "\"");
  const auto d = t->second.find(dim);
  if (d == t->second.end())
    throw std::out_of_range("the tier profile has no dimension " + std::to_string(dim) + " for \"" + tier + "\"");
  return d->second;
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
      JsonReader dims = t.object("dims");
      for (const auto& [dim_text, points] : value.at("dims").items()) {
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
          point.number("p10_ms", 0.0, 1e9);
          point.number("p90_ms", 0.0, 1e9);
          point.integer("samples", 1, std::int64_t{1} << 40);
          point.finish();
          curve.push_back({keys, ms / 1e3});
        }
        try {
          p.curves[name].emplace(dim, LatencyCurve(std::move(curve)));
        } catch (const std::invalid_argument& e) {
          throw InputError(dims_path, e.what());
        }
      }
      dims.finish();
      t.finish();
    }
    r.finish();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  return p;
}

}  // namespace recsim
