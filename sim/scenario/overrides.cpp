#include "sim/scenario/overrides.h"

#include "workloads/input_error.h"
#include "workloads/strict_json.h"

#include <cctype>
#include <vector>

namespace recsim {
namespace {

bool is_index(const std::string& part) {
  if (part.empty() || part.size() > 9) return false;
  for (char c : part)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

void apply_override(nlohmann::json& scenario, const std::string& assignment) {
  const std::string where = "--set " + assignment;
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) throw InputError(where, "expected PATH=VALUE");
  const std::string path = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);

  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = path.find('.', start);
    parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  for (const auto& p : parts)
    if (p.empty()) throw InputError(where, "PATH \"" + path + "\" has an empty component");

  if (!is_valid_utf8(assignment)) throw InputError(where, "PATH=VALUE is not valid UTF-8");
  // JSON when it is JSON (and then by the strict rules: no duplicate keys, numbers in range, bounded
  // nesting), else the text as a string.
  nlohmann::json value = is_json_syntax(text) ? parse_json_strict(text, where) : nlohmann::json(text);

  nlohmann::json* node = &scenario;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    const bool last = i + 1 == parts.size();
    const std::string here = walked.empty() ? part : walked + "." + part;
    if (node->is_array()) {
      if (!is_index(part))
        throw InputError(where, "\"" + (walked.empty() ? std::string("(top level)") : walked) +
                                    "\" is an array; expected an index, got \"" + part + "\"");
      const auto index = std::stoul(part);
      if (index >= node->size())
        throw InputError(where, "\"" + walked + "\" has " + std::to_string(node->size()) +
                                    " elements; index " + part + " is out of range");
      node = &(*node)[index];
    } else if (node->is_object()) {
      if (!node->contains(part) && !last) (*node)[part] = nlohmann::json::object();
      node = &(*node)[part];
    } else {
      throw InputError(where, "\"" + walked + "\" is " + (node->is_string() ? "a string" : "not an object or array") +
                                  "; cannot set \"" + here + "\" inside it");
    }
    walked = here;
  }
  *node = std::move(value);
}

}  // namespace recsim
