#include "workloads/key_declaration.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace recsim {

double read_number(JsonReader& r, const KeyDecl& k) {
  if (k.required || k.fallback.is_null()) return r.number(k.name, k.lo, k.hi, k.lo_open, k.hi_open);
  return r.number_or(k.name, k.fallback.get<double>(), k.lo, k.hi, k.lo_open, k.hi_open);
}

std::int64_t read_integer(JsonReader& r, const KeyDecl& k) {
  // Bounds beyond int64 (an infinite one, or 2^63 as a double) stop at int64's own.
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max(), kMin = std::numeric_limits<std::int64_t>::min();
  const std::int64_t lo = k.lo <= -9.2e18 ? kMin : static_cast<std::int64_t>(k.lo);
  const std::int64_t hi = k.hi >= 9.2e18 ? kMax : static_cast<std::int64_t>(k.hi);
  if (k.required || k.fallback.is_null()) return r.integer(k.name, lo, hi);
  return r.integer_or(k.name, k.fallback.get<std::int64_t>(), lo, hi);
}

std::string read_string(JsonReader& r, const KeyDecl& k) {
  if (k.required || k.fallback.is_null()) return r.string(k.name);
  return r.string_or(k.name, k.fallback.get<std::string>());
}

std::string read_choice(JsonReader& r, const KeyDecl& k) {
  if (k.required || k.fallback.is_null()) return r.choice(k.name, k.choices);
  return r.choice_or(k.name, k.choices, k.fallback.get<std::string>());
}

JsonReader read_object(JsonReader& r, const KeyDecl& k) { return r.object(k.name); }
const nlohmann::json& read_array(JsonReader& r, const KeyDecl& k) { return r.array(k.name); }

bool read_boolean(JsonReader& r, const KeyDecl& k) { return r.boolean_or(k.name, k.fallback.is_boolean() && k.fallback.get<bool>()); }

namespace {

const KeyDecl& find_key(const std::vector<KeyDecl>& keys, const std::string& name, const std::string& where) {
  for (const auto& k : keys)
    if (k.name == name) return k;
  throw std::out_of_range("no key \"" + name + "\" declared in " + where);
}

}  // namespace

const KeyDecl& KeySection::key(const std::string& n) const { return find_key(keys, n, this->name); }
const KeyDecl& KeyVariant::key(const std::string& n) const { return find_key(keys, n, value); }

namespace {

// 1e9 for powers of ten from 10^5, else the shortest decimal.
std::string number_text(double x) {
  if (std::isinf(x)) return x > 0 ? "∞" : "-∞";
  char buf[32];
  const double l = std::log10(std::abs(x));
  if (std::abs(x) >= 1e5 && l == std::floor(l)) {
    std::snprintf(buf, sizeof buf, "%se%d", x < 0 ? "-1" : "1", static_cast<int>(l));
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", `\"" : "`\"") + values[i] + "\"`";
  return out;
}

std::string type_text(const KeyDecl& k) {
  if (!k.type_name.empty()) return k.type_name;
  switch (k.type) {
    case KeyDecl::Type::integer: return "integer";
    case KeyDecl::Type::number: return "number";
    case KeyDecl::Type::string:
    case KeyDecl::Type::choice: return "string";
    case KeyDecl::Type::file: return "string (path)";
    case KeyDecl::Type::boolean: return "boolean";
    case KeyDecl::Type::object: return "object";
    case KeyDecl::Type::array: break;
  }
  return k.items == "object" ? "array of objects" : "array of " + k.items + "s";
}

// "in (0, 1]", "> 0", "1 to 1e9" (integers), "" (any).
std::string bounds_text(const KeyDecl& k) {
  if (k.type != KeyDecl::Type::integer && k.type != KeyDecl::Type::number) return "";
  const bool lo = !std::isinf(k.lo), hi = !std::isinf(k.hi);
  if (lo && hi && k.lo == k.hi) return number_text(k.lo);
  if (k.type == KeyDecl::Type::integer && lo && hi) return number_text(k.lo) + " to " + number_text(k.hi);
  if (lo && hi) return std::string("in ") + (k.lo_open ? "(" : "[") + number_text(k.lo) + ", " + number_text(k.hi) + (k.hi_open ? ")" : "]");
  if (lo) return (k.lo_open ? "> " : ">= ") + number_text(k.lo);
  if (hi) return (k.hi_open ? "< " : "<= ") + number_text(k.hi);
  return "";
}

std::string allowed_text(const KeyDecl& k) {
  std::string out = k.type == KeyDecl::Type::choice ? quoted_list(k.choices) : bounds_text(k);
  if (!k.also.empty()) out += (out.empty() ? "" : "; ") + k.also;
  return out;
}

std::string fallback_text(const nlohmann::json& v) {
  if (v.is_string()) return "`\"" + v.get<std::string>() + "\"`";
  if (v.is_number()) return number_text(v.get<double>());
  return "`" + v.dump() + "`";
}

std::string default_text(const KeyDecl& k) {
  if (!k.when.empty()) return k.when;
  if (k.required) return "required";
  return k.fallback.is_null() ? "none" : fallback_text(k.fallback);
}

bool in_alternatives(const KeyVariant& v, const std::string& key) {
  for (const auto& set : v.alternatives)
    for (const auto& name : set)
      if (name == key) return true;
  return false;
}

}  // namespace

std::string markdown_rows(const std::string& prefix, const std::vector<KeyDecl>& keys) {
  std::string out;
  for (const auto& k : keys)
    out += "| `" + (prefix.empty() ? "" : prefix + ".") + k.name + "` | " + type_text(k) + " | " + k.unit + " | " + default_text(k) +
           " | " + allowed_text(k) + " | " + k.help + " |\n";
  return out;
}

std::string markdown_keys(const std::string& prefix, const std::vector<KeyDecl>& keys) {
  return "| key | type | unit | default | allowed | meaning |\n|---|---|---|---|---|---|\n" + markdown_rows(prefix, keys);
}

std::string markdown_variants(const std::string& selector, const std::vector<KeyVariant>& variants) {
  std::string out = "| `" + selector + "` | keys | meaning |\n|---|---|---|\n";
  for (const auto& v : variants) {
    std::string keys;
    for (const auto& k : v.keys) {
      if (!keys.empty()) keys += "; ";
      std::string detail = type_text(k);
      for (const std::string& part : {allowed_text(k), k.unit, in_alternatives(v, k.name) ? std::string() : default_text(k)})
        if (!part.empty()) detail += "; " + part;
      keys += "`" + k.name + "` (" + detail;
      keys += "): " + k.help;
    }
    if (!v.alternatives.empty()) {
      keys += ". Give ";
      for (std::size_t i = 0; i < v.alternatives.size(); ++i) {
        keys += i == 0 ? "" : " or ";
        std::string set;
        for (const auto& name : v.alternatives[i]) set += (set.empty() ? "`" : " and `") + name + "`";
        keys += set;
      }
    }
    if (keys.empty()) keys = "none";
    out += "| `\"" + v.value + "\"` | " + keys + " | " + v.help + " |\n";
  }
  return out;
}

nlohmann::json schema_of(const KeyDecl& k) {
  nlohmann::json s = k.schema.is_null() ? nlohmann::json::object() : k.schema;
  if (k.schema.is_null()) switch (k.type) {
    case KeyDecl::Type::integer: s["type"] = "integer"; break;
    case KeyDecl::Type::number: s["type"] = "number"; break;
    case KeyDecl::Type::string: s["type"] = "string"; break;
    case KeyDecl::Type::file:  // a path, relative to the scenario's directory (sim/scenario/scenario_paths.h finds them by this)
      s["type"] = "string";
      s["format"] = "path";
      break;
    case KeyDecl::Type::choice: s["enum"] = k.choices; break;
    case KeyDecl::Type::boolean: s["type"] = "boolean"; break;
    case KeyDecl::Type::object: s["$ref"] = "#/$defs/" + k.section; break;
    case KeyDecl::Type::array:
      s["type"] = "array";
      s["items"] = k.items == "object" ? nlohmann::json{{"$ref", "#/$defs/" + k.section}} : nlohmann::json{{"type", k.items}};
      break;
  }
  if (k.type == KeyDecl::Type::integer || k.type == KeyDecl::Type::number) {
    if (!std::isinf(k.lo)) s[k.lo_open ? "exclusiveMinimum" : "minimum"] = k.lo;
    if (!std::isinf(k.hi)) s[k.hi_open ? "exclusiveMaximum" : "maximum"] = k.hi;
  }
  if (!k.fallback.is_null()) s["default"] = k.fallback;
  s["description"] = k.help + (k.unit.empty() ? "" : " (" + k.unit + ")");
  return s;
}

nlohmann::json schema_of_section(const KeySection& section) {
  nlohmann::json props = nlohmann::json::object(), required = nlohmann::json::array();
  for (const auto& k : section.keys) {
    props[k.name] = schema_of(k);
    if (k.required) required.push_back(k.name);
  }
  return {{"type", "object"}, {"description", section.help}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
}

nlohmann::json schema_of_variants(const std::string& selector, const std::vector<KeyVariant>& variants, const std::string& title,
                                  const std::vector<KeyDecl>& common) {
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json branches = nlohmann::json::array();
  for (const auto& v : variants) {
    names.push_back(v.value);
    nlohmann::json props = {{selector, {{"const", v.value}}}};
    nlohmann::json required = {selector};
    for (const auto& k : common) props[k.name] = schema_of(k);
    for (const auto& k : v.keys) {
      props[k.name] = schema_of(k);
      if (k.required && !in_alternatives(v, k.name)) required.push_back(k.name);
    }
    nlohmann::json branch = {{"description", v.help}, {"properties", props}, {"required", required}, {"additionalProperties", false}};
    if (!v.alternatives.empty()) {
      nlohmann::json one_of = nlohmann::json::array();
      for (const auto& set : v.alternatives) one_of.push_back({{"required", set}});
      branch["oneOf"] = one_of;
    }
    branches.push_back({{"if", {{"properties", {{selector, {{"const", v.value}}}}}}}, {"then", branch}});
  }
  return {{"title", title}, {"type", "object"}, {"required", {selector}}, {"properties", {{selector, {{"enum", names}}}}}, {"allOf", branches}};
}

}  // namespace recsim
