#pragma once
// The checks every command applies to its flags, so that a flag never silently means something
// else: empty values refused (an empty --batches is not "the default"), floating-point values finite
// and in range (NaN passes every comparison, so CLI11's Range lets it through), seeds in the one
// range the scenario's "seed" key also has.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace recsim {

// Refuses an empty value.
CLI::Validator non_empty();
// Reads `text` as a finite decimal number (no hexadecimal, inf, nan, or a value beyond double
// range, which strtod would take or clamp); false if it is not one.
bool read_decimal(const std::string& text, double& x);
// A finite decimal number in [lo, hi].
CLI::Validator finite_in(double lo, double hi);
// A seed: a decimal integer in [0, 2^63 - 1], as the scenario's "seed". Throws InputError naming `flag`.
std::uint64_t parse_seed(const std::string& flag, const std::string& text);

}  // namespace recsim
