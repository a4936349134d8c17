#include "workloads/json_reader.h"

#include "workloads/edit_distance.h"

#include "workloads/input_error.h"
#include "workloads/strict_json.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <limits>
#include <sstream>

namespace recsim {
namespace {

std::string shown(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string format_bound(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  std::ostringstream out;
  out << x;
  return out.str();
}

std::string range_text(double lo, double hi, bool lo_open, bool hi_open) {
  const bool has_lo = !std::isinf(lo), has_hi = !std::isinf(hi);
  if (has_lo && !has_hi) return std::string(lo_open ? "> " : ">= ") + format_bound(lo);
  if (!has_lo && has_hi) return std::string(hi_open ? "< " : "<= ") + format_bound(hi);
  if (!has_lo && !has_hi) return "finite";
  return std::string("in ") + (lo_open ? "(" : "[") + format_bound(lo) + ", " + format_bound(hi) + (hi_open ? ")" : "]");
}

}  // namespace

nlohmann::json read_json_file(const std::string& path) { return parse_json_strict(read_json_text(path), path); }

std::string read_json_text(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw InputError(path, "file does not exist or is not a regular file");
  constexpr std::uintmax_t kMaxBytes = std::uintmax_t{64} << 20;
  if (const auto size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes)
    throw InputError(path, "the file has " + std::to_string(size) + " bytes; JSON inputs are limited to 64 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open the file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string json_type_name(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::array: return "an array";
    case nlohmann::json::value_t::object: return "an object";
    default: return "a number";
  }
}

JsonReader::JsonReader(const nlohmann::json& object, std::string path) : object_(object), path_(std::move(path)) {
  if (!object_.is_object())
    throw InputError(path_.empty() ? "(top level)" : path_, "expected an object, got " + json_type_name(object_));
}

std::string JsonReader::child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

bool JsonReader::has(const std::string& key) const {
  asked_.insert(key);
  return object_.contains(key);
}

const nlohmann::json& JsonReader::at(const std::string& key) {
  asked_.insert(key);
  if (!object_.contains(key)) {
    for (const auto& [other, value] : object_.items()) {
      (void)value;
      // Only keys of similar, short length can be misspellings (and the distance stays cheap).
      const std::size_t longer = std::max(other.size(), key.size()), shorter = std::min(other.size(), key.size());
      if (longer > 64 || longer - shorter > 2) continue;
      if (edit_distance(other, key) <= 2)
        throw InputError(child_path(key), "required key is missing (is \"" + other + "\" a misspelling of it?)");
    }
    throw InputError(child_path(key), "required key is missing");
  }
  read_.insert(key);
  return object_.at(key);
}

std::string JsonReader::string(const std::string& key) {
  const auto& v = at(key);
  if (!v.is_string()) throw InputError(child_path(key), "expected a string, got " + shown(v));
  const auto s = v.get<std::string>();
  if (s.empty()) throw InputError(child_path(key), "expected a non-empty string");
  return s;
}

std::string JsonReader::string_or(const std::string& key, const std::string& fallback) {
  return has(key) ? string(key) : fallback;
}

std::string JsonReader::choice(const std::string& key, const std::vector<std::string>& allowed) {
  const auto& v = at(key);
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "\"" : ", \"") + a + "\"";
  if (v.is_string()) {
    for (const auto& a : allowed)
      if (v.get<std::string>() == a) return a;
  }
  throw InputError(child_path(key), "expected one of " + list + ", got " + shown(v));
}

std::string JsonReader::choice_or(const std::string& key, const std::vector<std::string>& allowed,
                                  const std::string& fallback) {
  return has(key) ? choice(key, allowed) : fallback;
}

double JsonReader::number(const std::string& key, double lo, double hi, bool lo_open, bool hi_open) {
  const auto& v = at(key);
  const std::string expected = "expected a number " + range_text(lo, hi, lo_open, hi_open);
  if (!v.is_number()) throw InputError(child_path(key), expected + ", got " + shown(v));
  const double x = v.get<double>();
  const bool ok = std::isfinite(x) && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi);
  if (!ok) throw InputError(child_path(key), expected + ", got " + shown(v));
  return x;
}

double JsonReader::number_or(const std::string& key, double fallback, double lo, double hi, bool lo_open,
                             bool hi_open) {
  return has(key) ? number(key, lo, hi, lo_open, hi_open) : fallback;
}

bool JsonReader::boolean_or(const std::string& key, bool fallback) {
  if (!has(key)) return fallback;
  const auto& v = at(key);
  if (!v.is_boolean()) throw InputError(child_path(key), "expected true or false, got " + shown(v));
  return v.get<bool>();
}

std::int64_t JsonReader::integer(const std::string& key, std::int64_t lo, std::int64_t hi) {
  const auto& v = at(key);
  // Bounds beyond 1e12 are technical limits, not part of the user's contract: shown as ">= lo".
  const std::string expected = "expected an integer " + (hi >= 1'000'000'000'000
                                                              ? ">= " + std::to_string(lo)
                                                              : "in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  bool integral = v.is_number_integer();
  if (!integral && v.is_number_float()) {  // 1e6 and 5.0 are integers too
    const double x = v.get<double>();
    integral = std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.0e15;
  }
  if (!integral) throw InputError(child_path(key), expected + ", got " + shown(v));
  std::int64_t x = 0;
  if (v.is_number_unsigned()) {
    const auto u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      throw InputError(child_path(key), expected + ", got " + shown(v));
    x = static_cast<std::int64_t>(u);
  } else if (v.is_number_integer()) {
    x = v.get<std::int64_t>();
  } else {
    x = static_cast<std::int64_t>(v.get<double>());
  }
  if (x < lo || x > hi) throw InputError(child_path(key), expected + ", got " + shown(v));
  return x;
}

std::int64_t JsonReader::integer_or(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  return has(key) ? integer(key, lo, hi) : fallback;
}

JsonReader JsonReader::object(const std::string& key) { return JsonReader(at(key), child_path(key)); }

const nlohmann::json& JsonReader::array(const std::string& key) {
  const auto& v = at(key);
  if (!v.is_array()) throw InputError(child_path(key), "expected an array, got " + json_type_name(v));
  return v;
}

void JsonReader::finish() const {
  for (const auto& [key, value] : object_.items()) {
    (void)value;
    if (read_.count(key)) continue;
    const std::string closest = closest_name(key, asked_);
    throw InputError(child_path(key), closest.empty() ? "unknown key" : "unknown key (did you mean \"" + closest + "\"?)");
  }
}

}  // namespace recsim
