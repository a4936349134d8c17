#pragma once
// Path-aware, strict reading of one JSON object of a scenario, model file or profile: every read names its JSON path in
// errors ("workload.arrival.qps: expected a number > 0, got -5"), and finish() rejects any key that
// was not read, so a typo never silently changes an experiment.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace recsim {

class JsonReader {
 public:
  // `object` must outlive the reader. Throws InputError if it is not a JSON object.
  JsonReader(const nlohmann::json& object, std::string path);

  const std::string& path() const { return path_; }
  std::string child_path(const std::string& key) const;
  bool has(const std::string& key) const;

  std::string string(const std::string& key);
  std::string string_or(const std::string& key, const std::string& fallback);
  // One of `allowed`.
  std::string choice(const std::string& key, const std::vector<std::string>& allowed);
  std::string choice_or(const std::string& key, const std::vector<std::string>& allowed, const std::string& fallback);
  // A finite number in [lo, hi]; open bounds when the flags say so.
  double number(const std::string& key, double lo, double hi, bool lo_open = false, bool hi_open = false);
  double number_or(const std::string& key, double fallback, double lo, double hi, bool lo_open = false,
                   bool hi_open = false);
  bool boolean_or(const std::string& key, bool fallback);
  std::int64_t integer(const std::string& key, std::int64_t lo, std::int64_t hi);
  std::int64_t integer_or(const std::string& key, std::int64_t fallback, std::int64_t lo, std::int64_t hi);
  // A nested object or array, marked as read.
  JsonReader object(const std::string& key);
  const nlohmann::json& array(const std::string& key);
  // A value of any type, marked as read (the caller checks it).
  const nlohmann::json& value(const std::string& key) { return at(key); }

  // Rejects keys that were never read, suggesting the closest key this reader asked about (within
  // two edits): "unknown key (did you mean \"target_ms\"?)".
  void finish() const;

 private:
  const nlohmann::json& at(const std::string& key);
  const nlohmann::json& object_;
  std::string path_;
  std::set<std::string> read_;
  mutable std::set<std::string> asked_;  // every key looked for, present or not
};

// Reads a JSON file. A missing file or malformed JSON throws InputError naming the file (and the
// line and column of the syntax error).
nlohmann::json read_json_file(const std::string& path);
// The file's text, with read_json_file's checks (a regular file, at most 64 MiB), not parsed.
std::string read_json_text(const std::string& path);

// Describes a JSON value's type for error messages ("a string", "an array", ...).
std::string json_type_name(const nlohmann::json& value);

}  // namespace recsim
