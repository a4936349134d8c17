#pragma once
// A scenario with tuned scheduling (DeepRecSched's batch size and offload threshold per (model,
// server kind)): in memory for the fleet's own simulations, and as a scenario file that `recsim
// tune --tuned-scenario` writes, which runs as it is from wherever it is written.
#include "sim/scenario/scenario.h"
#include "sim/scheduling/tune_config.h"

#include <optional>
#include <string>
#include <vector>

namespace recsim {

// Per model (Fleet::models' order), per server kind (Fleet::kinds' order): the configuration, none
// where the model is not hosted or keeps its own scheduler.
using FleetConfigs = std::vector<std::vector<std::optional<TuneConfig>>>;

// `s` with each configured (model, kind) scheduled by its configuration: the static policy, or
// deeprecsched with the offload threshold.
Scenario configured_fleet(const Scenario& s, const FleetConfigs& configs);

// The scenario file's text: the document `s` was loaded from (its --set overrides applied) with each
// configured model's scheduler replaced (format 1: `scheduler`, keeping `server_selection`; format 2:
// `models.N.scheduler` for the first kind hosting it and `scheduler_by_kind` for the kinds whose
// configuration differs) and its file paths moved to `out_path`'s directory (scenario_paths.h).
// `s` must come from load_scenario.
std::string tuned_scenario_text(const Scenario& s, const FleetConfigs& configs, const std::string& out_path);

}  // namespace recsim
