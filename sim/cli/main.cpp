// recsim: a discrete-event simulator of at-scale neural recommendation inference.
#include "sim/cli/commands.h"
#include "workloads/input_error.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

int main(int argc, char** argv) {
  CLI::App app{"recsim: simulate at-scale recommendation inference (see README.md and docs/)", "recsim"};
  app.require_subcommand(1);
  std::function<int()> command;
  recsim::add_run_command(app, command);
  recsim::add_capacity_command(app, command);
  recsim::add_tune_command(app, command);
  std::string command_line = "recsim";
  for (int i = 1; i < argc; ++i) command_line += std::string(" ") + argv[i];
  recsim::add_calibrate_command(app, command, command_line);
  recsim::add_accuracy_command(app, command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    for (auto& c : message)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "recsim: error: %s (see recsim --help)\n", message.c_str());
    return recsim::kExitInvalid;
  }
  try {
    return command();
  } catch (const recsim::InputError& e) {
    std::fprintf(stderr, "recsim: error: %s\n", e.what());
    return recsim::kExitInvalid;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recsim: failure: %s\n", e.what());
    return recsim::kExitFailure;
  }
}
