#include "sim/cli/cli_main.h"

#include "sim/cli/commands.h"
#include "sim/provenance/build_version.h"
#include "workloads/input_error.h"

#include <cstdio>
#include <exception>

namespace recsim {

std::string command_line_of(int argc, char** argv) {
  std::string line = "recsim";
  for (int i = 1; i < argc; ++i) line += std::string(" ") + argv[i];
  return printable(line, 4096);  // recorded in JSON: escaped where it is not text
}

int run_cli(int argc, char** argv, const std::string& description, const CommandRegistrar& add_commands) {
  CLI::App app{description, "recsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_line(), "Print recsim's version and the git commit it was built from");
  set_command_line(command_line_of(argc, argv));
  std::function<int()> command;
  add_commands(app, command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    for (auto& c : message)
      if (c == '\n') c = ' ';
    std::fprintf(stderr, "recsim: error: %s (see recsim --help)\n", message.c_str());
    return kExitInvalid;
  }
  try {
    return command();
  } catch (const InputError& e) {
    std::fprintf(stderr, "recsim: error: %s\n", e.what());
    return kExitInvalid;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recsim: failure: %s\n", e.what());
    return kExitFailure;
  }
}

}  // namespace recsim
