#include "sim/sweep/sweep_spec.h"

#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <cstdio>
#include <filesystem>
#include <set>

namespace recsim {
namespace {

using json = nlohmann::json;

struct Axis {
  std::vector<std::size_t> columns;             // into SweepSpec::columns
  std::vector<std::vector<json>> values;        // per column, all the same length
  std::size_t size() const { return values.empty() ? 0 : values.front().size(); }
};

// Rounds away the binary noise of from + i * step (0.1 * 3 = 0.30000000000000004).
double tidy(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.12g", v);
  return std::stod(text);
}

// Integer ranges are computed exactly when every bound is an integer JSON number within int64
// (a larger unsigned one is taken as a double like any other number).
bool exact_integers(std::initializer_list<const json*> values) {
  for (const json* v : values)
    if (!v->is_number_integer() || (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))) return false;
  return true;
}

__int128 integer_of(const json& v) {
  return v.is_number_unsigned() ? static_cast<__int128>(v.get<std::uint64_t>()) : static_cast<__int128>(v.get<std::int64_t>());
}

std::vector<json> range_values(JsonReader range) {
  const std::string at = range.path();
  const json& from_j = range.value("from");
  const json& to_j = range.value("to");
  if (!from_j.is_number()) throw InputError(range.child_path("from"), "expected a number, got " + from_j.dump());
  if (!to_j.is_number()) throw InputError(range.child_path("to"), "expected a number, got " + to_j.dump());
  const double from = from_j.get<double>(), to = to_j.get<double>();
  if (!std::isfinite(from) || !std::isfinite(to)) throw InputError(at, "expected finite bounds");
  if (to < from) throw InputError(range.child_path("to"), "expected a number >= from (" + from_j.dump() + "), got " + to_j.dump());
  const int given = int(range.has("step")) + int(range.has("count")) + int(range.has("factor"));
  if (given != 1) throw InputError(at, "expected exactly one of \"step\", \"count\" or \"factor\"");
  std::vector<json> out;
  auto push = [&](double v) {
    if (out.size() >= kMaxSweepPoints) throw InputError(at, "expected at most " + std::to_string(kMaxSweepPoints) + " values");
    out.push_back(v);
  };
  if (range.has("step")) {
    const json& step_j = range.value("step");
    if (!step_j.is_number() || !(step_j.get<double>() > 0) || !std::isfinite(step_j.get<double>()))
      throw InputError(range.child_path("step"), "expected a number > 0, got " + step_j.dump());
    if (exact_integers({&from_j, &to_j, &step_j})) {
      // Exact: from, from + step, ... up to to, never beyond it (in 128 bits: no wrap).
      const __int128 first = integer_of(from_j), last = integer_of(to_j), step = integer_of(step_j);
      if ((last - first) / step + 1 > static_cast<__int128>(kMaxSweepPoints))
        throw InputError(at, "expected at most " + std::to_string(kMaxSweepPoints) + " values");
      for (__int128 v = first; v <= last; v += step) out.push_back(static_cast<std::int64_t>(v));
    } else {
      const double step = step_j.get<double>();
      const double n = std::floor((to - from) / step * (1 + 1e-12) + 1e-9);
      if (n + 1 > static_cast<double>(kMaxSweepPoints)) throw InputError(at, "expected at most " + std::to_string(kMaxSweepPoints) + " values");
      for (long i = 0; i <= static_cast<long>(n); ++i) push(tidy(from + static_cast<double>(i) * step));
    }
  } else if (range.has("count")) {
    const auto count = range.integer("count", 2, static_cast<std::int64_t>(kMaxSweepPoints));
    for (std::int64_t i = 0; i < count; ++i)
      push(tidy(from + (to - from) * static_cast<double>(i) / static_cast<double>(count - 1)));
  } else {
    const double factor = range.number("factor", 1.0, 1e6, true);
    if (!(from > 0)) throw InputError(range.child_path("from"), "expected a number > 0 with \"factor\", got " + from_j.dump());
    if (exact_integers({&from_j, &to_j, &range.value("factor")})) {
      // Exact: from, from × factor, ... up to to (each product in 128 bits: to < 2^63, factor <= 10^6).
      const __int128 last = integer_of(to_j), f = integer_of(range.value("factor"));
      for (__int128 v = integer_of(from_j); v <= last; v *= f) {
        if (out.size() >= kMaxSweepPoints) throw InputError(at, "expected at most " + std::to_string(kMaxSweepPoints) + " values");
        out.push_back(static_cast<std::int64_t>(v));
      }
    } else {
      for (double v = from; v <= to * (1 + 1e-12); v *= factor) push(tidy(v));
    }
  }
  range.finish();
  return out;
}

// One axis element: {"path", "values" | "range", "name"?}; returns its values.
std::vector<json> axis_values(JsonReader axis, SweepSpec& spec, std::set<std::string>& paths, std::set<std::string>& names) {
  const std::string path = axis.string("path");
  if (path.empty()) throw InputError(axis.child_path("path"), "expected a dotted scenario path, got \"\"");
  if (!paths.insert(path).second) throw InputError(axis.child_path("path"), "\"" + path + "\" is already swept by another axis");
  const std::string name = axis.string_or("name", path);
  if (name.empty() || name == "point" || name == "repetition" || name == "status" || name == "key")
    throw InputError(axis.child_path("name"), "expected a column name other than \"\", point, repetition, status or key");
  if (!names.insert(name).second) throw InputError(axis.child_path("name"), "column \"" + name + "\" appears twice");
  if (axis.has("values") == axis.has("range")) throw InputError(axis.path(), "expected exactly one of \"values\" or \"range\"");
  std::vector<json> values;
  if (axis.has("values")) {
    const json& list = axis.array("values");
    if (list.empty()) throw InputError(axis.child_path("values"), "expected a non-empty array");
    if (list.size() > kMaxSweepPoints) throw InputError(axis.child_path("values"), "expected at most " + std::to_string(kMaxSweepPoints) + " values");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!seen.insert(list[i].dump()).second)
        throw InputError(axis.child_path("values") + "." + std::to_string(i), "lists " + list[i].dump() + " twice");
      values.push_back(list[i]);
    }
  } else {
    values = range_values(axis.object("range"));
  }
  axis.finish();
  spec.columns.push_back({name, path});
  return values;
}

std::string value_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

}  // namespace

SweepSpec load_sweep(const std::string& path) {
  const json document = read_json_file(path);
  try {
    return parse_sweep(document, path);
  } catch (const InputError& e) {  // name the file: a sweep's paths could be taken for a scenario's
    throw InputError(path + ": " + e.where(), e.expected());
  }
}

SweepSpec parse_sweep(const nlohmann::json& document, const std::string& path) {
  JsonReader r(document, "");
  SweepSpec spec;
  spec.file = path;
  const auto dir = std::filesystem::path(path).parent_path();
  spec.name = r.string_or("name", std::filesystem::path(path).stem().string());
  r.string_or("description", "");
  if (spec.name.empty() || spec.name.find('/') != std::string::npos || spec.name.size() > 100)
    throw InputError("name", "expected a name of 1 to 100 characters without '/'");
  const std::string scenario = r.string("scenario");
  if (scenario.empty()) throw InputError("scenario", "expected the base scenario's file, got \"\"");
  spec.scenario = std::filesystem::path(scenario).is_absolute() || dir.empty() ? scenario : (dir / scenario).string();
  spec.command = r.choice_or("command", {"run", "capacity", "tune", "plan"}, "run");
  if (r.has("options")) {
    JsonReader o = r.object("options");
    if (spec.command == "run" || spec.command == "plan")
      throw InputError("options", "\"" + spec.command + "\" takes no options (use \"set\" for scenario values)");
    if (o.has("precision")) {
      char text[32];
      std::snprintf(text, sizeof text, "%.9g", o.number("precision", 1e-6, 1.0));
      spec.options.insert(spec.options.end(), {"--precision", text});
    }
    if (spec.command == "tune") {
      if (o.boolean_or("grid", false)) spec.options.push_back("--grid");
      for (const char* key : {"batches", "thresholds"}) {
        if (!o.has(key)) continue;
        const json& list = o.array(key);
        std::string text;
        for (std::size_t i = 0; i < list.size(); ++i) {
          if (!list[i].is_number_integer() || list[i].get<std::int64_t>() < 1)
            throw InputError(o.child_path(key) + "." + std::to_string(i), "expected an integer >= 1, got " + list[i].dump());
          if (i) text += ',';
          text += std::to_string(list[i].get<std::int64_t>());
        }
        if (text.empty()) throw InputError(o.child_path(key), "expected a non-empty array");
        spec.options.insert(spec.options.end(), {std::string("--") + key, text});
      }
    }
    o.finish();
  }
  std::vector<std::string> fixed;
  if (r.has("set")) {
    r.object("set");  // an object: dotted scenario path -> value, as --set takes them
    for (const auto& [key, value] : document["set"].items()) {
      if (key.empty()) throw InputError("set", "expected dotted scenario paths as keys, got \"\"");
      fixed.push_back(key + "=" + value.dump());
    }
  }

  std::vector<Axis> axes;
  std::set<std::string> paths, names;
  if (r.has("axes")) {
    const json& list = r.array("axes");
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string at = "axes." + std::to_string(i);
      JsonReader axis(list[i], at);
      Axis a;
      if (axis.has("zip")) {
        const json& group = axis.array("zip");
        if (group.size() < 2) throw InputError(at + ".zip", "expected at least two axes to zip");
        for (std::size_t k = 0; k < group.size(); ++k) {
          a.columns.push_back(spec.columns.size());
          a.values.push_back(axis_values(JsonReader(group[k], at + ".zip." + std::to_string(k)), spec, paths, names));
          if (a.values.back().size() != a.values.front().size())
            throw InputError(at + ".zip." + std::to_string(k), "expected " + std::to_string(a.values.front().size()) +
                                                                     " values, as the first zipped axis has, got " +
                                                                     std::to_string(a.values.back().size()));
        }
        axis.finish();
      } else {
        a.columns.push_back(spec.columns.size());
        a.values.push_back(axis_values(axis, spec, paths, names));
      }
      axes.push_back(std::move(a));
    }
  }
  spec.repetitions = static_cast<int>(r.integer_or("repetitions", 0, 0, 10'000));
  if (spec.repetitions > 0 && spec.command == "plan")
    throw InputError("repetitions", "a plan has no seed to repeat over: sweep the fleet's \"seed\" on an axis");
  if (spec.repetitions > 0 && paths.count("seed"))
    throw InputError("repetitions", "an axis already sets \"seed\": give the seeds there or use repetitions, not both");
  r.finish();

  // Expand: the product of the axes (and repetitions), the last varying fastest.
  double total = spec.repetitions > 0 ? spec.repetitions : 1;
  for (const auto& a : axes) total *= static_cast<double>(a.size());
  if (total > static_cast<double>(kMaxSweepPoints))
    throw InputError("axes", "the sweep has " + std::to_string(static_cast<long long>(total)) + " points; expected at most " +
                                 std::to_string(kMaxSweepPoints));
  std::vector<std::size_t> at(axes.size(), 0);
  const int reps = spec.repetitions > 0 ? spec.repetitions : 1;
  for (std::size_t n = 0; n < static_cast<std::size_t>(total) / static_cast<std::size_t>(reps); ++n) {
    for (int rep = 0; rep < reps; ++rep) {
      SweepPoint p;
      p.index = spec.points.size();
      p.values.resize(spec.columns.size());
      p.repetition = spec.repetitions > 0 ? rep : -1;
      p.sets = fixed;
      for (std::size_t k = 0; k < axes.size(); ++k)
        for (std::size_t c = 0; c < axes[k].columns.size(); ++c) {
          const std::size_t column = axes[k].columns[c];
          p.values[column] = axes[k].values[c][at[k]];
          p.sets.push_back(spec.columns[column].path + "=" + p.values[column].dump());
        }
      spec.points.push_back(std::move(p));
    }
    for (std::size_t k = axes.size(); k-- > 0;) {
      if (++at[k] < axes[k].size()) break;
      at[k] = 0;
    }
  }
  return spec;
}

std::vector<std::string> point_arguments(const SweepSpec& spec, const SweepPoint& point, std::optional<std::uint64_t> seed) {
  std::vector<std::string> args = {spec.command, spec.scenario};
  for (const auto& s : point.sets) args.insert(args.end(), {"--set", s});
  if (seed) args.insert(args.end(), {"--seed", std::to_string(*seed)});
  args.insert(args.end(), spec.options.begin(), spec.options.end());
  return args;
}

std::string describe_point(const SweepSpec& spec, const SweepPoint& point) {
  std::string text;
  for (std::size_t c = 0; c < spec.columns.size(); ++c) {
    if (c) text += ", ";
    text += spec.columns[c].name + "=" + value_text(point.values[c]);
  }
  if (point.repetition >= 0) {
    if (!text.empty()) text += ", ";
    text += "repetition=";
    text += std::to_string(point.repetition);
  }
  return text.empty() ? "the base scenario" : text;
}

}  // namespace recsim
