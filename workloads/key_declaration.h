#pragma once
// A key of an input file declared once, next to the component that reads it: its JSON type, its
// bounds, its default, its unit and its help. The component's parser reads the key through its
// declaration, so the bounds checked are the bounds documented; the declarations render as the key
// tables of docs/scenario-format.md and as the scenario's JSON Schema (`recsim schema`;
// tests/unit/test_key_declarations.cpp checks both against the docs and the parser).
#include "workloads/json_reader.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace recsim {

struct KeyDecl {
  // file: a path, relative to the scenario's folder; choice: one of `choices`; object: its keys are
  // the section `section`; array: of `items` (a JSON type), or of `section` objects.
  enum class Type { integer, number, string, file, boolean, choice, object, array } type = Type::number;
  std::string name{};
  bool required = true;
  double lo = 0.0, hi = 0.0;  // integer, number: the allowed range (infinite bounds allowed)
  bool lo_open = false, hi_open = false;
  nlohmann::json fallback{};            // the value when absent (null: none, or computed: see `when`)
  std::vector<std::string> choices{};   // choice
  std::string unit{};                   // "ms", "queries/s", ...
  std::string help{};                   // what it means (Markdown)
  std::string when{};                   // the docs' default column when it is not just the fallback ("required for `poisson`")
  std::string also{};                   // constraints beyond the type and bounds ("only with `service.gpu_profile`")
  std::string section{};                // object, array of objects: the section of its keys
  std::string items{};                  // array: "integer", "number", "string" or "object" (with `section`)
  std::string type_name{};              // the docs' type column when the type alone does not say it
  nlohmann::json schema{};              // the key's JSON Schema when the type alone does not give it
};

// The key's value, checked against its declaration (errors name its JSON path); an optional key
// without a fallback must be tested with `has` first.
double read_number(JsonReader& r, const KeyDecl& k);
std::int64_t read_integer(JsonReader& r, const KeyDecl& k);
std::string read_string(JsonReader& r, const KeyDecl& k);
std::string read_choice(JsonReader& r, const KeyDecl& k);
bool read_boolean(JsonReader& r, const KeyDecl& k);
JsonReader read_object(JsonReader& r, const KeyDecl& k);
const nlohmann::json& read_array(JsonReader& r, const KeyDecl& k);

// The keys of one object, e.g. `sla` or `platform.servers.N`.
struct KeySection {
  std::string name{};  // the JSON Schema definition's name, e.g. "sla"
  std::string help{};
  std::vector<KeyDecl> keys{};
  const KeyDecl& key(const std::string& name) const;  // throws std::out_of_range
};

// A set of keys chosen by one selector key's value ("distribution": "lognormal", "type": "model"),
// e.g. one entry of a registry.
struct KeyVariant {
  std::string value{};                 // the selector's value
  std::string help{};                  // what the variant means
  std::vector<KeyDecl> keys{};         // its own keys
  // Sets of keys of which exactly one is given (each set whole); empty: every required key.
  std::vector<std::vector<std::string>> alternatives{};
  const KeyDecl& key(const std::string& name) const;  // throws std::out_of_range
};

// Markdown: the rows | `prefix.key` | type | unit | default | allowed | meaning | of a section's keys,
// with the header.
std::string markdown_keys(const std::string& prefix, const std::vector<KeyDecl>& keys);
// The same rows without the header, to continue a table.
std::string markdown_rows(const std::string& prefix, const std::vector<KeyDecl>& keys);
// Markdown: the table of a selector's variants, | `selector` | keys | meaning |, one row per variant.
std::string markdown_variants(const std::string& selector, const std::vector<KeyVariant>& variants);

// JSON Schema (draft 2020-12): one key's schema (objects and arrays of objects refer to
// "#/$defs/<section>"), an object of a section's keys, and an object whose selector key chooses
// among variants (`common`: keys every variant allows besides its own).
nlohmann::json schema_of(const KeyDecl& k);
nlohmann::json schema_of_section(const KeySection& s);
nlohmann::json schema_of_variants(const std::string& selector, const std::vector<KeyVariant>& variants, const std::string& title,
                                  const std::vector<KeyDecl>& common = {});

}  // namespace recsim
