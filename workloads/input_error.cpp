#include "workloads/input_error.h"

namespace recsim {

InputError::InputError(std::string where, std::string what_expected)
    : std::runtime_error(where + ": " + what_expected),
      where_(std::move(where)),
      expected_(std::move(what_expected)) {}

}  // namespace recsim
