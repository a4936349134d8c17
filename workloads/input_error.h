#pragma once
// InputError: invalid user input (scenario, flag, profile, trace). It names where the problem is
// (a JSON path such as "workload.arrival.qps", a flag such as "--seed", or "file.csv:12") and what
// was expected. The command line turns it into one line on stderr and exit status 2.
#include <stdexcept>
#include <string>

namespace recsim {

class InputError : public std::runtime_error {
 public:
  InputError(std::string where, std::string what_expected);
  const std::string& where() const { return where_; }
  const std::string& expected() const { return expected_; }

 private:
  std::string where_;
  std::string expected_;
};

}  // namespace recsim
