#include "sim/search/tuned_scenario.h"

#include "sim/scenario/scenario_paths.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>

namespace recsim {
namespace {

nlohmann::json scheduler_object(const TuneConfig& c) {
  nlohmann::json j = {{"policy", c.gpu_threshold ? "deeprecsched" : "static"}, {"batch_size", c.batch_size}};
  if (c.gpu_threshold) j["gpu_threshold"] = *c.gpu_threshold;
  return j;
}

std::optional<TuneConfig> first_config(const std::vector<std::optional<TuneConfig>>& per_kind) {
  for (const auto& c : per_kind)
    if (c) return c;
  return std::nullopt;
}

// A scheduler object with the model's deployment on a kind, which tuning keeps.
nlohmann::json with_deployment(nlohmann::json scheduler, const SchedulerSpec& s) {
  if (s.instances > 0) scheduler["instances"] = s.instances;
  if (s.intra_op_threads > 1) scheduler["intra_op_threads"] = s.intra_op_threads;
  return scheduler;
}

bool same_deployment(const SchedulerSpec& a, const SchedulerSpec& b) {
  return a.instances == b.instances && a.intra_op_threads == b.intra_op_threads;
}

}  // namespace

Scenario configured_fleet(const Scenario& s, const FleetConfigs& configs) {
  Scenario out = s;
  for (std::size_t m = 0; m < configs.size() && m < out.fleet.models.size(); ++m)
    for (std::size_t k = 0; k < configs[m].size() && k < out.fleet.models[m].scheduler.size(); ++k)
      if (const auto& c = configs[m][k]) {
        SchedulerSpec& scheduler = out.fleet.models[m].scheduler[k];
        scheduler.batch_size = c->batch_size;
        scheduler.policy = c->gpu_threshold ? "deeprecsched" : "static";
        scheduler.gpu_threshold = c->gpu_threshold.value_or(0);
      }
  return out;
}

std::string tuned_scenario_text(const Scenario& s, const FleetConfigs& configs, const std::string& out_path) {
  if (s.final_document.empty()) throw std::logic_error("tuned_scenario_text: the scenario was not loaded from a file");
  nlohmann::json doc = nlohmann::json::parse(s.final_document);
  if (s.format < 2) {
    if (const auto c = configs.empty() ? std::nullopt : first_config(configs.front())) {
      nlohmann::json scheduler = with_deployment(scheduler_object(*c), s.fleet.models.front().scheduler.front());
      if (doc.contains("scheduler") && doc["scheduler"].contains("server_selection"))
        scheduler["server_selection"] = doc["scheduler"]["server_selection"];
      doc["scheduler"] = scheduler;
    }
  } else {
    for (std::size_t m = 0; m < configs.size() && m < s.fleet.models.size(); ++m) {
      const auto first = first_config(configs[m]);
      if (!first) continue;
      const std::vector<SchedulerSpec>& given = s.fleet.models[m].scheduler;
      std::size_t kf = 0;
      while (!configs[m][kf]) ++kf;
      nlohmann::json& model = doc["models"][m];
      const nlohmann::json given_default = model["scheduler"];
      const nlohmann::json given_by_kind = model.value("scheduler_by_kind", nlohmann::json::object());
      model["scheduler"] = with_deployment(scheduler_object(*first), given[kf]);
      nlohmann::json by_kind = nlohmann::json::object();
      for (std::size_t k = 0; k < configs[m].size(); ++k) {
        const std::string& name = s.fleet.kinds[k].name;
        if (configs[m][k]) {
          if (!(*configs[m][k] == *first) || !same_deployment(given[k], given[kf]))
            by_kind[name] = with_deployment(scheduler_object(*configs[m][k]), given[k]);
        } else if (s.fleet.models[m].service[k]) {
          // A kind hosting it whose policy tuning does not search keeps its own scheduler.
          const nlohmann::json& own = given_by_kind.contains(name) ? given_by_kind[name] : given_default;
          if (own != model["scheduler"]) by_kind[name] = own;
        }
      }
      if (by_kind.empty()) model.erase("scheduler_by_kind");
      else model["scheduler_by_kind"] = by_kind;
    }
  }
  const std::filesystem::path source(s.source_file);
  move_file_paths(doc, source.parent_path().string(), std::filesystem::path(out_path).parent_path().string());
  return doc.dump(2) + "\n";
}

}  // namespace recsim
