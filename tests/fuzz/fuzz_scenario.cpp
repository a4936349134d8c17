// The scenario parser with --set overrides, as `recsim run` reads them: the input is a scenario's
// JSON, optionally followed by a line "#set" and one PATH=VALUE override per line. Relative paths
// resolve against scenarios/models/ of the source tree, so the shipped profiles can be named. The
// resource estimate runs on every valid scenario too.
#include "fuzz_support.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "workloads/strict_json.h"

#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = recsim::fuzz::split_overrides(std::string(reinterpret_cast<const char*>(data), size));
  const std::string& text = input.first;
  const std::vector<std::string>& overrides = input.second;
  recsim::fuzz::only_input_errors([&] {
    nlohmann::json document = recsim::parse_json_strict(text, "scenario.json");
    for (const auto& o : overrides) recsim::apply_override(document, o);
    const recsim::Scenario s = recsim::parse_scenario(document, RECSIM_SOURCE_DIR "/scenarios/models");
    recsim::check_resources(s, true);
  });
  return 0;
}
