// `recsim schema [--tables]`: the scenario file's JSON Schema (draft 2020-12) on stdout, for editors
// and validators, generated from the keys each component declares (sim/scenario/scenario_schema.h);
// with --tables, the Markdown key tables of docs/scenario-format.md instead.
#include "sim/cli/commands.h"
#include "sim/scenario/scenario_schema.h"

#include <cstdio>
#include <memory>

namespace recsim {
namespace {

int execute(bool tables) {
  if (!tables) {
    std::fputs((scenario_schema().dump(2) + "\n").c_str(), stdout);
    return kExitDone;
  }
  for (const auto& [name, markdown] : scenario_key_tables()) std::printf("<!-- keys: %s -->\n%s<!-- /keys -->\n\n", name.c_str(), markdown.c_str());
  return kExitDone;
}

}  // namespace

void add_schema_command(CLI::App& app, std::function<int()>& run) {
  auto tables = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("schema", "Print the scenario file's JSON Schema (generated from the declared keys)");
  cmd->add_flag("--tables", *tables, "Print the key tables of docs/scenario-format.md instead");
  cmd->callback([tables, &run] { run = [tables] { return execute(*tables); }; });
}

}  // namespace recsim
