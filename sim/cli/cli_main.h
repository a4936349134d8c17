#pragma once
// The shared body of the recsim executables: parse the command line with the subcommands that
// `add_commands` registers, run the chosen one, and map errors to the contract's exit statuses
// (2 with one line for invalid input, 1 with a message for other failures).
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace recsim {

using CommandRegistrar = std::function<void(CLI::App& app, std::function<int()>& command)>;

// With `error_line`, the one line of an error goes there (without "recsim: error: " and the newline)
// instead of stderr.
int run_cli(int argc, char** argv, const std::string& description, const CommandRegistrar& add_commands,
            std::string* error_line = nullptr);

// The command line as typed ("recsim calibrate --device cpu ..."), for provenance.
std::string command_line_of(int argc, char** argv);

}  // namespace recsim
