#pragma once
// Reading the small CSV files of workloads/ (size tables, traces, key traces): comma-separated
// numeric fields, '#' starts a comment, blank lines are skipped. The first line that is not blank may
// be a header, recognised by being one (every field a column name: is_header), never by failing to
// parse: "1e2" where an integer belongs, "+5" or stray bytes are errors naming file:line. A UTF-8
// byte-order mark at the very start of the file is accepted and ignored (strip_bom).
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

namespace recsim::csv {

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Splits a line into trimmed fields; the part after '#' is dropped. Empty result: a blank line.
inline std::vector<std::string_view> fields(std::string_view line) {
  if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
  std::vector<std::string_view> out;
  if (trim(line).empty()) return out;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    out.push_back(trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// Whether the fields are column names: each starts with a letter or '_' and holds only letters,
// digits, '_', '.', '-', '(', ')' and spaces ("arrival_ms", "size", "weight (share)").
inline bool is_header(const std::vector<std::string_view>& f) {
  for (const auto field : f) {
    if (field.empty()) return false;
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; };
    if (!letter(field.front())) return false;
    for (const char c : field)
      if (!letter(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '(' && c != ')' && c != ' ') return false;
  }
  return !f.empty();
}

// Removes a UTF-8 byte-order mark from the start of the file's first line.
inline void strip_bom(std::string& line, int line_number) {
  if (line_number == 1 && line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
}

inline bool parse_double(std::string_view s, double& out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

inline bool parse_int(std::string_view s, long long& out) {
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace recsim::csv
