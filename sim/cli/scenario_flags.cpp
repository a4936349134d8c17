#include "sim/cli/scenario_flags.h"

#include "sim/cli/flag_checks.h"

namespace recsim {

void add_scenario_flags(CLI::App& cmd, ScenarioFlags& f, const ScenarioFlagHelp& help) {
  cmd.add_option("scenario", f.scenario, help.scenario)->required()->check(non_empty());
  cmd.add_option("--set", f.sets, "Override a scenario value before validation: PATH=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->check(non_empty());
  cmd.add_option("--out", f.out, "Write " + help.out + " to FILE (atomically)")->check(non_empty());
  if (!help.jobs.empty()) cmd.add_option("--jobs", f.jobs, help.jobs)->check(CLI::Range(1, 1024));
  cmd.add_flag("--quiet", f.quiet, help.quiet);
  if (help.allow_large)
    cmd.add_flag("--allow-large", f.allow_large, "Run even when the resource estimate exceeds this machine's memory or hours of work");
  cmd.add_flag("--validate-only", f.validate_only,
               "Check the scenario and the flags (exit 2 with one line if invalid), then exit 0 without running");
}

}  // namespace recsim
