// recsim: a discrete-event simulator of at-scale neural recommendation inference.
#include "sim/cli/cli_main.h"
#include "sim/cli/commands.h"
#include "sim/provenance/build_version.h"

int main(int argc, char** argv) {
  const std::string line = recsim::command_line_of(argc, argv);
  recsim::set_command_line(line);
  return recsim::run_cli(argc, argv, "recsim: simulate at-scale recommendation inference (see README.md and docs/)",
                         [&](CLI::App& app, std::function<int()>& command) {
                           recsim::add_run_command(app, command);
                           recsim::add_capacity_command(app, command);
                           recsim::add_tune_command(app, command);
                           recsim::add_sweep_command(app, command);
                           recsim::add_check_command(app, command);
                           recsim::add_plan_command(app, command);
                           recsim::add_calibrate_command(app, command, line, argv);
                           recsim::add_accuracy_command(app, command);
                           recsim::add_fit_gpu_command(app, command, line);
                           recsim::add_validate_command(app, command, line);
                           recsim::add_schema_command(app, command);
                         });
}
