#pragma once
// Runs the recsim executable as a user would, capturing its exit status, stdout and stderr.
#include <string>
#include <vector>

namespace recsim::test {

struct CliResult {
  int status = -1;
  std::string out;
  std::string err;
};

CliResult run_recsim(const std::vector<std::string>& args);

// A minimal valid scenario (the contract's example, shorter), as JSON text.
std::string base_scenario_text();

}  // namespace recsim::test
