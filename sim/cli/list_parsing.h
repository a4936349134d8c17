#pragma once
// Comma-separated flag values ("--models a,b", "--batches 1,2,4"). Errors throw InputError naming the flag.
#include <string>
#include <vector>

namespace recsim {

std::vector<std::string> split_list(const std::string& flag, const std::string& text);
// Positive integers, strictly increasing after sorting and without duplicates.
std::vector<int> parse_int_list(const std::string& flag, const std::string& text, int lo, int hi);
// Numbers strictly between lo and hi, sorted, without duplicates.
std::vector<double> parse_open_interval_list(const std::string& flag, const std::string& text, double lo, double hi);

}  // namespace recsim
