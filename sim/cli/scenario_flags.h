#pragma once
// The flags every command that reads a scenario shares, declared once: the scenario file, `--set`
// overrides, `--out`, `--jobs` (where the command runs simulations at once), `--quiet`,
// `--allow-large` (where it checks the resource estimate) and `--validate-only`. A command's flags
// derive from ScenarioFlags and add their own.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace recsim {

struct ScenarioFlags {
  std::string scenario;
  std::vector<std::string> sets;
  std::string out;
  int jobs = 0;  // 0: the CPUs this process may use
  bool quiet = false;
  bool allow_large = false;
  bool validate_only = false;
};

struct ScenarioFlagHelp {
  std::string scenario = "Scenario JSON file";
  std::string out;          // what --out writes, e.g. "the results JSON"
  std::string jobs;         // --jobs' help; empty: the command has no --jobs
  std::string quiet = "Print nothing on success";
  bool allow_large = true;  // the command has --allow-large
};

void add_scenario_flags(CLI::App& cmd, ScenarioFlags& f, const ScenarioFlagHelp& help);

}  // namespace recsim
