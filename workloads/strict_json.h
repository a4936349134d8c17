#pragma once
// The one JSON parser of every input (scenarios, --set values, profiles, model files, sweep and plan
// files): standard JSON with four rules nlohmann/json does not enforce by itself —
//   - a key may appear once per object (a duplicate would silently replace the first);
//   - every number is within double range (1e400 is refused, not turned into infinity or an exit 1);
//   - nesting is at most kMaxJsonDepth levels (deeper documents are refused before they are built);
//   - strings are valid UTF-8 (nlohmann's lexer checks it; the error says so).
// Errors are InputErrors naming the source, the JSON path where one is known, and the line and
// column; the offending text is quoted short and escaped (workloads/input_error.h).
#include <nlohmann/json.hpp>

#include <string>

namespace recsim {

inline constexpr int kMaxJsonDepth = 64;

// Parses `text`; `source` names it in errors (a file name, "--set PATH=VALUE").
nlohmann::json parse_json_strict(const std::string& text, const std::string& source);

// Whether `text` is JSON at all (syntax only): how --set tells a JSON value from a plain string.
bool is_json_syntax(const std::string& text);

// Whether `text` is valid UTF-8 (no overlong forms, surrogates or code points beyond U+10FFFF).
bool is_valid_utf8(const std::string& text);

}  // namespace recsim
