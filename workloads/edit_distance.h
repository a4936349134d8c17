#pragma once
// Levenshtein distance, for "did you mean" hints on misspelt keys and commands.
#include <cstddef>
#include <string>

namespace recsim {

std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace recsim
