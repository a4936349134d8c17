#include "sim/cli/cli_main.h"

#include "sim/cli/commands.h"
#include "sim/provenance/build_version.h"
#include "workloads/edit_distance.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <cstdio>
#include <exception>

namespace recsim {

std::string command_line_of(int argc, char** argv) {
  std::string line = "recsim";
  for (int i = 1; i < argc; ++i) line += std::string(" ") + argv[i];
  return printable(line, 4096);  // recorded in JSON: escaped where it is not text
}

int run_cli(int argc, char** argv, const std::string& description, const CommandRegistrar& add_commands,
            std::string* error_line) {
  auto report = [error_line](const char* kind, const std::string& message, const char* suffix) {
    if (error_line)
      *error_line = message;
    else
      std::fprintf(stderr, "recsim: %s: %s%s\n", kind, message.c_str(), suffix);
  };
  CLI::App app{description, "recsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", version_line(), "Print recsim's version and the git commit it was built from");
  std::function<int()> command;
  add_commands(app, command);
  // An unknown command is named, with the closest one and the list (CLI11 alone would only say
  // that a subcommand is required).
  const std::vector<CLI::App*> commands = app.get_subcommands({});
  if (argc > 1 && argv[1][0] != '-' &&
      std::none_of(commands.begin(), commands.end(), [&](CLI::App* c) { return c->check_name(argv[1]); })) {
    std::vector<std::string> names;
    for (const CLI::App* c : commands) names.push_back(c->get_name());
    const std::string closest = closest_name(argv[1], names);
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    report("error", "unknown command \"" + printable(argv[1], 64) + "\"" + (closest.empty() ? "" : " (did you mean \"" + closest + "\"?)") +
                        "; commands: " + list,
           " (see recsim --help)");
    return kExitInvalid;
  }
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
    report("error", message, " (see recsim --help)");
    return kExitInvalid;
  }
  try {
    return command();
  } catch (const InputError& e) {
    report("error", e.what(), "");
    return kExitInvalid;
  } catch (const std::exception& e) {
    report("failure", e.what(), "");
    return kExitFailure;
  }
}

}  // namespace recsim
