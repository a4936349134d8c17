#include "sim/cli/command_in_process.h"

#include "sim/cli/cli_main.h"
#include "sim/cli/commands.h"
#include "sim/provenance/build_version.h"

namespace recsim {
namespace {

// The commands a sweep or the suite runs at its points.
void add_point_commands(CLI::App& app, std::function<int()>& command) {
  add_run_command(app, command);
  add_capacity_command(app, command);
  add_tune_command(app, command);
  add_plan_command(app, command);
}

// `recsim ARGS...` (args[0] is "recsim"); with `record`, provenance records its command line.
int run_point_cli(std::vector<std::string>& args, std::string* error, bool record) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const int argc = static_cast<int>(args.size());
  if (record) set_command_line(command_line_of(argc, argv.data()));
  return run_cli(argc, argv.data(), "", add_point_commands, error);
}

}  // namespace

int validate_in_process(std::vector<std::string> args, std::string* error) {
  args.insert(args.begin(), "recsim");
  args.push_back("--validate-only");
  return run_point_cli(args, error, false);
}

int run_in_process(std::vector<std::string> args) {
  args.insert(args.begin(), "recsim");
  return run_point_cli(args, nullptr, true);
}

}  // namespace recsim
