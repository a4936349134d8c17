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
  const std::string input(reinterpret_cast<const char*>(data), size);
  std::string text = input;
  std::vector<std::string> overrides;
  if (const auto at = input.find("\n#set\n"); at != std::string::npos) {
    text = input.substr(0, at);
    std::size_t start = at + 6;
    while (start <= input.size()) {
      const auto end = input.find('\n', start);
      const std::string line = input.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (!line.empty()) overrides.push_back(line);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  recsim::fuzz::only_input_errors([&] {
    nlohmann::json document = recsim::parse_json_strict(text, "scenario.json");
    for (const auto& o : overrides) recsim::apply_override(document, o);
    const recsim::Scenario s = recsim::parse_scenario(document, RECSIM_SOURCE_DIR "/scenarios/models");
    recsim::check_resources(s, true);
  });
  return 0;
}
