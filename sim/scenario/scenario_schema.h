#pragma once
// The scenario file's JSON Schema (for editors: `recsim schema`) and the key tables of
// docs/scenario-format.md, both generated from the keys each component declares
// (workloads/key_declaration.h). tests/unit/test_key_declarations.cpp checks the docs' tables and
// docs/scenario.schema.json against them, and the shipped scenarios against the schema.
#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace recsim {

// JSON Schema, draft 2020-12: a format-2 document when "format" is 2, else format 1.
nlohmann::json scenario_schema();

// (block name, Markdown) for each generated block of docs/scenario-format.md, in the page's order;
// a block sits between "<!-- keys: NAME -->" and "<!-- /keys -->".
std::vector<std::pair<std::string, std::string>> scenario_key_tables();

}  // namespace recsim
