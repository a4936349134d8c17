#include "sim/cli/flag_checks.h"

#include "workloads/input_error.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace recsim {

CLI::Validator non_empty() {
  return CLI::Validator([](std::string& value) { return value.empty() ? std::string("expected a value, got an empty string") : std::string(); },
                        "NONEMPTY");
}

bool read_decimal(const std::string& text, double& x) {
  // Decimal only: strtod would also take hexadecimal ("0x1p-3"), "inf" and "nan".
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) return false;
  errno = 0;
  char* end = nullptr;
  x = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && errno != ERANGE && std::isfinite(x);
}

CLI::Validator finite_in(double lo, double hi) {
  std::ostringstream range;
  range << "[" << lo << ", " << hi << "]";
  const std::string text = range.str();
  return CLI::Validator(
      [lo, hi, text](std::string& value) -> std::string {
        if (value.empty()) return "expected a number in " + text + ", got an empty string";
        double x = 0;
        if (!read_decimal(value, x)) return "expected a finite decimal number in " + text + ", got \"" + printable(value, 60) + "\"";
        if (x < lo || x > hi) return "expected a number in " + text + ", got " + printable(value, 60);
        return {};
      },
      "FLOAT in " + text);
}

std::uint64_t parse_seed(const std::string& flag, const std::string& text) {
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  const std::string expected = "expected an integer in [0, 9223372036854775807] (the range of the scenario's \"seed\"), got \"" +
                               printable(text, 60) + "\"";
  if (text.empty() || text.size() > 19) throw InputError(flag, expected);
  std::uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') throw InputError(flag, expected);
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > kMax) throw InputError(flag, expected);
  return v;
}

}  // namespace recsim
