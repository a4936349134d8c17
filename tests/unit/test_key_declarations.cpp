// Keys declared once next to their component (workloads/key_declaration.h): the parser enforces the
// declared bounds, and docs/scenario-format.md's generated tables match the declarations.
#include "sim/scenario/query_size_registry.h"
#include "support/build_paths.h"
#include "support/scenarios.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace recsim;
using recsim::test::scenario_error;

namespace {

// The block of `doc` between "<!-- keys: NAME" and "<!-- /keys -->" (without the marker lines).
std::string generated_block(const std::string& doc, const std::string& name) {
  std::ifstream in(recsim::test::source_dir() + "/" + doc);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  const std::string open = "<!-- keys: " + name;
  const auto a = s.find(open);
  if (a == std::string::npos) return "(no \"" + open + "\" marker in " + doc + ")";
  const auto start = s.find('\n', a) + 1;
  const auto end = s.find("<!-- /keys -->", start);
  return end == std::string::npos ? "(no end marker)" : s.substr(start, end - start);
}

std::vector<KeyVariant> query_size_variants() {
  std::vector<KeyVariant> v;
  for (const auto& k : query_size_kinds()) v.push_back(k.keys);
  return v;
}

// A valid query_size object of each distribution (numeric keys only), to push one key past a bound.
std::vector<nlohmann::json> valid_sizes() {
  return {{{"distribution", "fixed"}, {"value", 4}},
          {{"distribution", "normal"}, {"mean", 10.0}, {"sd", 2.0}, {"max", 100}},
          {{"distribution", "lognormal"}, {"mu", 2.0}, {"sigma", 0.5}, {"max", 100}},
          {{"distribution", "lognormal"}, {"median", 100.0}, {"top_quarter_share", 0.5}, {"max", 1000}}};
}

}  // namespace

TEST_CASE("docs/scenario-format.md's query-size table is generated from the registry's declarations", "[keys]") {
  const std::string expected = markdown_variants("distribution", query_size_variants());
  INFO("replace the block under <!-- keys: query_size --> in docs/scenario-format.md with:\n" << expected);
  CHECK(generated_block("docs/scenario-format.md", "query_size") == expected);
}

TEST_CASE("the parser enforces each declared query-size bound, naming the key", "[keys]") {
  int checked = 0;
  for (const auto& valid : valid_sizes()) {
    const KeyVariant& variant = query_size_kind(valid.at("distribution").get<std::string>()).keys;
    auto doc = recsim::test::mmc_document(1, 100, 1.0, 100, 0);
    doc["workload"]["query_size"] = valid;
    REQUIRE(scenario_error(doc) == "valid");
    for (const auto& key : variant.keys) {
      if (!valid.contains(key.name)) continue;
      INFO(variant.value << "." << key.name);
      const std::string where = "workload.query_size." + key.name + ": ";
      const double step = key.type == KeyDecl::Type::integer ? 1.0 : 1e-9 * std::max(1.0, std::abs(key.lo));
      if (std::isfinite(key.lo)) {
        doc["workload"]["query_size"] = valid;
        doc["workload"]["query_size"][key.name] = key.lo_open ? key.lo : key.lo - step;
        CHECK(scenario_error(doc).rfind(where, 0) == 0);
        ++checked;
      }
      if (std::isfinite(key.hi)) {
        doc["workload"]["query_size"] = valid;
        doc["workload"]["query_size"][key.name] = key.hi_open ? key.hi : key.hi + std::max(step, 1e-9 * std::abs(key.hi));
        CHECK(scenario_error(doc).rfind(where, 0) == 0);
        ++checked;
      }
    }
  }
  CHECK(checked == 17);  // every finite bound of the examples' keys
}

TEST_CASE("the query-size JSON Schema states each distribution's keys, bounds and alternatives", "[keys]") {
  const auto schema = schema_of_variants("distribution", query_size_variants(), "query_size");
  CHECK(schema["properties"]["distribution"]["enum"] == nlohmann::json({"fixed", "normal", "lognormal", "empirical"}));
  const auto& lognormal = schema["allOf"][2]["then"];
  CHECK(lognormal["required"] == nlohmann::json({"distribution", "max"}));
  CHECK(lognormal["oneOf"] == nlohmann::json::parse(R"([{"required":["mu","sigma"]},{"required":["median","top_quarter_share"]}])"));
  CHECK(lognormal["properties"]["top_quarter_share"]["exclusiveMinimum"] == 0.25);
  CHECK(lognormal["properties"]["top_quarter_share"]["exclusiveMaximum"] == 1.0);
  CHECK(lognormal["additionalProperties"] == false);
  CHECK(schema["allOf"][0]["then"]["properties"]["value"]["maximum"] == 1e9);
  CHECK(schema["allOf"][3]["then"]["properties"]["file"]["type"] == "string");
}
