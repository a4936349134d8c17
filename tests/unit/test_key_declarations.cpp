// Keys declared once next to their component (workloads/key_declaration.h): the parser enforces the
// declared bounds, and docs/scenario-format.md's key tables and docs/scenario.schema.json are what
// the declarations generate (scripts/key-tables rewrites them).
#include "sim/scenario/arrival_registry.h"
#include "sim/scenario/query_size_registry.h"
#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/scenario_schema.h"
#include "sim/scenario/service_registry.h"
#include "support/build_paths.h"
#include "support/scenarios.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

using namespace recsim;
using recsim::test::scenario_error;

namespace {

std::string read_text(const std::string& relative) {
  std::ifstream in(recsim::test::source_dir() + "/" + relative);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The block of `doc` between "<!-- keys: NAME ...-->" and "<!-- /keys -->" (without the marker lines).
std::string generated_block(const std::string& doc, const std::string& name) {
  const std::string s = read_text(doc);
  const std::string open = "<!-- keys: " + name + " ";
  const auto a = s.find(open);
  if (a == std::string::npos) return "(no \"" + open + "\" marker in " + doc + ")";
  const auto start = s.find('\n', a) + 1;
  const auto end = s.find("<!-- /keys -->", start);
  return end == std::string::npos ? "(no end marker)" : s.substr(start, end - start);
}

nlohmann::json& at_path(nlohmann::json& doc, const std::string& dotted) {
  nlohmann::json* j = &doc;
  std::stringstream parts(dotted);
  for (std::string p; std::getline(parts, p, '.');) j = p.find_first_not_of("0123456789") == std::string::npos ? &(*j)[std::stoul(p)] : &(*j)[p];
  return *j;
}

// Pushes each numeric key of `keys` just past each finite bound in the object at `where` of a valid
// document and checks the parser's error names that key; returns how many bounds it checked.
int check_bounds(const nlohmann::json& valid, const std::string& where, const std::vector<KeyDecl>& keys, bool only_present = false) {
  REQUIRE(scenario_error(valid) == "valid");
  int checked = 0;
  for (const auto& key : keys) {
    if (key.type != KeyDecl::Type::integer && key.type != KeyDecl::Type::number) continue;
    auto base = valid;
    if (only_present && !at_path(base, where).contains(key.name)) continue;
    INFO(where << "." << key.name);
    const std::string expected = where + "." + key.name + ": ";
    const double step = key.type == KeyDecl::Type::integer ? 1.0 : 1e-9 * std::max(1.0, std::abs(key.lo));
    for (const bool low : {true, false}) {
      const double bound = low ? key.lo : key.hi;
      if (!std::isfinite(bound) || (key.type == KeyDecl::Type::integer && std::abs(bound) >= 9e18)) continue;
      const bool open = low ? key.lo_open : key.hi_open;
      const double outside = open ? bound : (low ? bound - step : bound + std::max(step, 1e-9 * std::abs(bound)));
      auto doc = valid;
      if (key.type == KeyDecl::Type::integer)
        at_path(doc, where)[key.name] = static_cast<std::int64_t>(outside);
      else
        at_path(doc, where)[key.name] = outside;
      CHECK(scenario_error(doc).rfind(expected, 0) == 0);
      ++checked;
    }
  }
  return checked;
}

const KeySection& section_named(const std::string& name) {
  for (const auto& s : scenario_key_sections())
    if (s.name == name) return s;
  throw std::out_of_range(name);
}

}  // namespace

TEST_CASE("docs/scenario-format.md's key tables are generated from the declarations", "[keys]") {
  for (const auto& [name, markdown] : scenario_key_tables()) {
    INFO("block " << name << " is out of date: run scripts/key-tables");
    CHECK(generated_block("docs/scenario-format.md", name) == markdown);
  }
}

TEST_CASE("docs/scenario.schema.json is the schema the declarations generate", "[keys]") {
  INFO("out of date: run scripts/key-tables");
  CHECK(read_text("docs/scenario.schema.json") == scenario_schema().dump(2) + "\n");
}

TEST_CASE("the parser enforces each declared bound, naming the key", "[keys]") {
  const auto mmc = recsim::test::mmc_document(1, 100, 1.0, 100, 0);
  int checked = 0;
  checked += check_bounds(mmc, "sla", section_named("sla").keys);
  checked += check_bounds(mmc, "run", section_named("run").keys);
  checked += check_bounds(mmc, "platform.servers.0", section_named("server").keys);
  checked += check_bounds(mmc, "service", service_kind("exponential").keys.keys);
  auto deterministic = mmc;
  deterministic["service"] = {{"type", "deterministic"}, {"ms", 1.0}};
  checked += check_bounds(deterministic, "service", service_kind("deterministic").keys.keys);
  // Query sizes: a valid object of each distribution, each of its numeric keys past each bound.
  for (const auto& sizes : {nlohmann::json{{"distribution", "fixed"}, {"value", 4}},
                            nlohmann::json{{"distribution", "normal"}, {"mean", 10.0}, {"sd", 2.0}, {"max", 100}},
                            nlohmann::json{{"distribution", "lognormal"}, {"mu", 2.0}, {"sigma", 0.5}, {"max", 100}},
                            nlohmann::json{{"distribution", "lognormal"}, {"median", 100.0}, {"top_quarter_share", 0.5}, {"max", 1000}}}) {
    auto doc = mmc;
    doc["workload"]["query_size"] = sizes;
    checked += check_bounds(doc, "workload.query_size", query_size_kind(sizes.at("distribution").get<std::string>()).keys.keys, true);
  }
  // Arrival processes: a valid object of each synthetic process, each of its numeric keys past each bound.
  for (const auto& arrival : {nlohmann::json{{"process", "poisson"}, {"qps", 100}},
                              nlohmann::json{{"process", "diurnal"}, {"qps", 100}, {"peak_to_trough", 3}, {"period_s", 10}, {"peak_at_s", 2}},
                              nlohmann::json{{"process", "bursty"}, {"qps", 100}, {"burst_factor", 3}, {"burst_s", 1}, {"bursts_per_hour", 60}},
                              nlohmann::json{{"process", "gamma"}, {"qps", 100}, {"cv", 2}}}) {
    auto doc = mmc;
    doc["workload"]["arrival"] = arrival;
    checked += check_bounds(doc, "workload.arrival", arrival_kind(arrival.at("process").get<std::string>()).keys.keys, true);
  }
  // sla 4 (percentile both open, target_ms both), run 8 (window_s both), server 6, exponential 2, deterministic 2,
  // query sizes 17, arrivals 18 (qps' lower bound in each of 4; diurnal 6, bursty 6 and gamma 2 more).
  CHECK(checked == 57);
}

TEST_CASE("the scenario schema states each variant's keys, bounds and alternatives", "[keys]") {
  const auto schema = scenario_schema();
  const auto& defs = schema["$defs"];
  CHECK(defs["query_size"]["properties"]["distribution"]["enum"] == nlohmann::json({"fixed", "normal", "lognormal", "empirical"}));
  const auto& lognormal = defs["query_size"]["allOf"][2]["then"];
  CHECK(lognormal["required"] == nlohmann::json({"distribution", "max"}));
  CHECK(lognormal["oneOf"] == nlohmann::json::parse(R"([{"required":["mu","sigma"]},{"required":["median","top_quarter_share"]}])"));
  CHECK(lognormal["properties"]["top_quarter_share"]["exclusiveMinimum"] == 0.25);
  CHECK(lognormal["additionalProperties"] == false);
  CHECK(defs["service"]["properties"]["type"]["enum"] == nlohmann::json({"exponential", "deterministic", "table", "model"}));
  CHECK(defs["scheduler_v1"]["allOf"][0]["then"]["properties"].contains("server_selection"));
  CHECK_FALSE(defs["scheduler"]["allOf"][0]["then"]["properties"].contains("server_selection"));
  CHECK(defs["sla"]["properties"]["percentile"]["exclusiveMaximum"] == 100.0);
  CHECK_FALSE(defs["run"]["properties"]["max_in_flight"].contains("default"));  // computed from the fleet
  CHECK(schema["then"]["$ref"] == "#/$defs/scenario_v2");
  // Every reference resolves.
  const std::function<void(const nlohmann::json&)> refs = [&](const nlohmann::json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) {
        const std::string ref = j["$ref"];
        INFO(ref);
        CHECK(defs.contains(ref.substr(std::string("#/$defs/").size())));
      }
      for (const auto& [k, v] : j.items()) refs(v);
    } else if (j.is_array()) {
      for (const auto& v : j) refs(v);
    }
  };
  refs(schema);
}
