#include "sim/provenance/provenance.h"

#include "sim/provenance/build_version.h"
#include "sim/provenance/content_hash.h"
#include "sim/provenance/host_info.h"

namespace recsim {

std::string scenario_sha256(const Scenario& scenario) {
  nlohmann::json document = scenario.final_document.empty() ? nlohmann::json::object() : nlohmann::json::parse(scenario.final_document);
  document["seed"] = scenario.seed;
  return sha256_hex(document.dump());
}

nlohmann::ordered_json provenance_json(const Scenario& scenario) {
  using json = nlohmann::ordered_json;
  json inputs = json::array();
  for (const auto& file : scenario.input_files()) inputs.push_back({{"path", file}, {"sha256", sha256_file_hex(file)}});
  return {{"recsim_version", kRecsimVersion},
          {"git_commit", kRecsimCommit},
          {"git_dirty", kRecsimDirty},
          {"command_line", command_line()},
          {"scenario_sha256", scenario_sha256(scenario)},
          {"inputs", inputs},
          {"host", {{"cpu_model", host_cpu_model()}, {"usable_cpus", usable_cpus()}}}};
}

}  // namespace recsim
