#include "workloads/key_declaration.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace recsim {

double read_number(JsonReader& r, const KeyDecl& k) {
  return k.required ? r.number(k.name, k.lo, k.hi, k.lo_open, k.hi_open) : r.number_or(k.name, k.fallback, k.lo, k.hi, k.lo_open, k.hi_open);
}

std::int64_t read_integer(JsonReader& r, const KeyDecl& k) {
  const auto lo = static_cast<std::int64_t>(k.lo), hi = static_cast<std::int64_t>(k.hi);
  return k.required ? r.integer(k.name, lo, hi) : r.integer_or(k.name, static_cast<std::int64_t>(k.fallback), lo, hi);
}

std::string read_string(JsonReader& r, const KeyDecl& k) { return r.string(k.name); }

namespace {

std::string number_text(double x) {
  if (std::isinf(x)) return x > 0 ? "∞" : "-∞";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

const char* type_name(KeyDecl::Type t) {
  switch (t) {
    case KeyDecl::Type::integer: return "integer";
    case KeyDecl::Type::number: return "number";
    case KeyDecl::Type::string: return "string";
    case KeyDecl::Type::file: break;
  }
  return "file";
}

// "integer in [1, 1e+09]", "number > 0", "file".
std::string allowed_text(const KeyDecl& k) {
  std::string t = type_name(k.type);
  if (k.type != KeyDecl::Type::integer && k.type != KeyDecl::Type::number) return t;
  const bool lo = !std::isinf(k.lo), hi = !std::isinf(k.hi);
  if (lo && hi) return t + " in " + (k.lo_open ? "(" : "[") + number_text(k.lo) + ", " + number_text(k.hi) + (k.hi_open ? ")" : "]");
  if (lo) return t + (k.lo_open ? " > " : " >= ") + number_text(k.lo);
  if (hi) return t + (k.hi_open ? " < " : " <= ") + number_text(k.hi);
  return t;
}

bool in_alternatives(const KeyVariant& v, const std::string& key) {
  for (const auto& set : v.alternatives)
    for (const auto& name : set)
      if (name == key) return true;
  return false;
}

}  // namespace

std::string markdown_variants(const std::string& selector, const std::vector<KeyVariant>& variants) {
  std::string out = "| `" + selector + "` | keys | meaning |\n|---|---|---|\n";
  for (const auto& v : variants) {
    std::string keys;
    for (const auto& k : v.keys) {
      if (!keys.empty()) keys += "; ";
      keys += "`" + k.name + "` (" + allowed_text(k);
      if (!k.required && !in_alternatives(v, k.name)) keys += ", default " + number_text(k.fallback);
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
    out += "| `\"" + v.value + "\"` | " + keys + " | " + v.help + " |\n";
  }
  return out;
}

namespace {

nlohmann::json schema_of(const KeyDecl& k) {
  nlohmann::json s;
  s["type"] = k.type == KeyDecl::Type::integer ? "integer" : k.type == KeyDecl::Type::number ? "number" : "string";
  if (k.type == KeyDecl::Type::integer || k.type == KeyDecl::Type::number) {
    if (!std::isinf(k.lo)) s[k.lo_open ? "exclusiveMinimum" : "minimum"] = k.lo;
    if (!std::isinf(k.hi)) s[k.hi_open ? "exclusiveMaximum" : "maximum"] = k.hi;
  }
  if (!k.required) s["default"] = k.fallback;
  s["description"] = k.help;
  return s;
}

}  // namespace

nlohmann::json schema_of_variants(const std::string& selector, const std::vector<KeyVariant>& variants, const std::string& title) {
  nlohmann::json names = nlohmann::json::array();
  nlohmann::json branches = nlohmann::json::array();
  for (const auto& v : variants) {
    names.push_back(v.value);
    nlohmann::json props = {{selector, {{"const", v.value}}}};
    nlohmann::json required = {selector};
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
  return {{"title", title},
          {"type", "object"},
          {"required", {selector}},
          {"properties", {{selector, {{"enum", names}}}}},
          {"allOf", branches}};
}

}  // namespace recsim
