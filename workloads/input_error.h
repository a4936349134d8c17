#pragma once
// InputError: invalid user input (scenario, flag, profile, trace). It names where the problem is
// (a JSON path such as "workload.arrival.qps", a flag such as "--seed", or "file.csv:12") and what
// was expected. The command line turns it into one line on stderr and exit status 2. Both parts are
// made printable: control characters and bytes that are not UTF-8 escaped (\n, \x1B), and text
// beyond a few hundred bytes elided in the middle, so a huge or hostile value never floods a line.
#include <stdexcept>
#include <cstddef>
#include <string>

namespace recsim {

// `text` with control characters and invalid UTF-8 escaped, and, beyond `max_bytes`, its middle
// replaced by " ... [N bytes elided] ... ".
std::string printable(const std::string& text, std::size_t max_bytes);

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
