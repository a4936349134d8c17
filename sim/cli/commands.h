#pragma once
// The `recsim` subcommands. Each registers its flags on the CLI11 app and returns the exit status
// (0 done, 2 invalid input, 1 other failure) from its callback.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace recsim {

// Registers `recsim run`; `run` is set to the function that executes it after parsing.
void add_run_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim calibrate`; `command_line` is recorded in the profile's provenance. `argv` is
// handed on unchanged when a GPU calibration runs in the recsim-cuda executable.
void add_calibrate_command(CLI::App& app, std::function<int()>& run, const std::string& command_line, char** argv);

// Registers `recsim capacity`.
void add_capacity_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim tune`.
void add_tune_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim sweep SWEEP.json` (sim/sweep/, docs/sweeps.md).
void add_sweep_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim check SUITE_DIR` (the regression suite, docs/regression-suite.md).
void add_check_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim plan PLAN.json` (capacity planning, docs/planning.md).
void add_plan_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim validate SCENARIO` (real serving against the simulation, docs/validation.md);
// `command_line` is recorded in the profile it calibrates.
void add_validate_command(CLI::App& app, std::function<int()>& run, const std::string& command_line);

// Registers `recsim fit-gpu` (the analytic GPU model fitted to published measurements,
// docs/calibration.md); `command_line` is recorded in the file it writes.
void add_fit_gpu_command(CLI::App& app, std::function<int()>& run, const std::string& command_line);

// Registers `recsim schema` (the scenario's JSON Schema and docs key tables, sim/scenario/scenario_schema.h).
void add_schema_command(CLI::App& app, std::function<int()>& run);

// Registers `recsim accuracy PROFILE`.
void add_accuracy_command(CLI::App& app, std::function<int()>& run);

// Exit statuses of the contract.
constexpr int kExitDone = 0;
constexpr int kExitFailure = 1;
constexpr int kExitInvalid = 2;

}  // namespace recsim
