#pragma once
// Levenshtein distance, for "did you mean" hints on misspelt keys and commands.
#include <cstddef>
#include <string>

namespace recsim {

std::size_t edit_distance(const std::string& a, const std::string& b);

// The candidate closest to `word` within two edits, and at most one edit per three characters of
// `word` (not "a" for "c"); empty when none is. Candidates over 64 characters are not compared.
template <class Range>
std::string closest_name(const std::string& word, const Range& candidates) {
  std::string closest;
  std::size_t best = 3;
  if (word.size() > 64) return closest;
  for (const std::string& c : candidates) {
    if (c.size() > 64) continue;
    const std::size_t d = edit_distance(c, word);
    if (d < best && 3 * d <= word.size()) {
      best = d;
      closest = c;
    }
  }
  return closest;
}

}  // namespace recsim
