#pragma once
// A key of an input file declared once, next to the component that reads it: its JSON type, its
// bounds, its default and its help. The component's parser reads the key through its declaration,
// so the bounds checked are the bounds documented; `recsim keys` prints the declarations as the
// Markdown tables of docs/scenario-format.md and as JSON Schema (tests/unit/test_key_declarations.cpp
// checks the docs against them).
#include "workloads/json_reader.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace recsim {

struct KeyDecl {
  enum class Type { integer, number, string, file } type = Type::number;  // file: a path, relative to the scenario's folder
  std::string name;
  bool required = true;
  double lo = 0.0, hi = 0.0;  // integer, number: the allowed range (infinite bounds allowed)
  bool lo_open = false, hi_open = false;
  double fallback = 0.0;      // not required: the value when absent
  std::string help;           // what it means (one sentence or two; Markdown)
};

// The key's value, checked against its declaration (errors name its JSON path).
double read_number(JsonReader& r, const KeyDecl& k);
std::int64_t read_integer(JsonReader& r, const KeyDecl& k);
std::string read_string(JsonReader& r, const KeyDecl& k);

// A set of keys chosen by one selector key's value ("distribution": "lognormal", "type": "model"),
// e.g. one entry of a registry.
struct KeyVariant {
  std::string value;                 // the selector's value
  std::string help;                  // what the variant means
  std::vector<KeyDecl> keys;         // its own keys
  // Sets of keys of which exactly one is given (each set whole); empty: every required key.
  std::vector<std::vector<std::string>> alternatives;
};

// The Markdown table of a selector's variants: | `selector` | keys | meaning |, one row per variant.
std::string markdown_variants(const std::string& selector, const std::vector<KeyVariant>& variants);
// The JSON Schema (draft 2020-12) of an object with a selector key choosing among the variants.
nlohmann::json schema_of_variants(const std::string& selector, const std::vector<KeyVariant>& variants, const std::string& title);

}  // namespace recsim
