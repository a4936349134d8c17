// recsim-cuda: the CUDA side of `recsim calibrate --device gpu`. recsim executes it (it lies next
// to recsim) so that recsim itself never loads the CUDA libraries, which cost about 200 MiB of
// resident memory per process just to map.
#include "sim/cli/cli_main.h"
#include "sim/cli/commands.h"

int main(int argc, char** argv) {
  const std::string line = recsim::command_line_of(argc, argv);
  return recsim::run_cli(argc, argv, "recsim calibrate with the CUDA backend",
                         [&](CLI::App& app, std::function<int()>& command) {
                           recsim::add_calibrate_command(app, command, line, argv);
                         });
}
