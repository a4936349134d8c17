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

int run_point_cli(std::vector<std::string>& args, std::string* error) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return run_cli(static_cast<int>(args.size()), argv.data(), "", add_point_commands, error);
}

}  // namespace

int validate_in_process(std::vector<std::string> args, std::string* error) {
  args.insert(args.begin(), "recsim");
  args.push_back("--validate-only");
  return run_point_cli(args, error);
}

int run_in_process(std::vector<std::string> args) {
  args.insert(args.begin(), "recsim");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  set_command_line(command_line_of(static_cast<int>(args.size()), argv.data()));
  return run_point_cli(args, nullptr);
}

}  // namespace recsim
