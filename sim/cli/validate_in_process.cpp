#include "sim/cli/validate_in_process.h"

#include "sim/cli/cli_main.h"
#include "sim/cli/commands.h"

namespace recsim {

int validate_in_process(std::vector<std::string> args, std::string* error) {
  args.insert(args.begin(), "recsim");
  args.push_back("--validate-only");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return run_cli(static_cast<int>(args.size()), argv.data(), "", [](CLI::App& app, std::function<int()>& command) {
    add_run_command(app, command);
    add_capacity_command(app, command);
    add_tune_command(app, command);
    add_plan_command(app, command);
  }, error);
}

}  // namespace recsim
