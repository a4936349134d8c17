#pragma once
// Scenario documents for engine tests, built in code so each test states its parameters.
#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_parser.h"
#include "workloads/input_error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace recsim::test {

// c cores, Poisson arrivals at `qps` of size-1 queries, one request each, exponential service.
inline nlohmann::json mmc_document(int cores, double qps, double mean_ms, std::uint64_t queries,
                                   std::uint64_t warmup, std::uint64_t seed = 11) {
  return {
      {"name", "mmc"},
      {"seed", seed},
      {"platform", {{"servers", {{{"count", 1}, {"cpu_cores", cores}}}}}},
      {"workload",
       {{"arrival", {{"process", "poisson"}, {"qps", qps}}},
        {"query_size", {{"distribution", "fixed"}, {"value", 1}}}}},
      {"service", {{"type", "exponential"}, {"mean_ms", mean_ms}}},
      {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
      {"sla", {{"percentile", 95}, {"target_ms", 1000}}},
      {"run", {{"queries", queries}, {"warmup_queries", warmup}}},
  };
}

inline Scenario scenario_from(const nlohmann::json& document, const std::string& base_dir = ".") {
  return parse_scenario(document, base_dir);
}

// The one-line error parsing `document` gives, or "valid".
inline std::string scenario_error(const nlohmann::json& document, const std::string& base_dir = ".") {
  try {
    parse_scenario(document, base_dir);
  } catch (const InputError& e) {
    return e.what();
  }
  return "valid";
}

}  // namespace recsim::test
