#include "sim/scenario/scenario_paths.h"

#include "sim/scenario/scenario_schema.h"

#include <filesystem>

namespace recsim {
namespace {

namespace fs = std::filesystem;

// Every "properties" object anywhere in the schema: the names whose schema says "format": "path".
void collect_file_keys(const nlohmann::json& schema, std::set<std::string>& out) {
  if (schema.is_array()) {
    for (const auto& item : schema) collect_file_keys(item, out);
    return;
  }
  if (!schema.is_object()) return;
  for (const auto& [key, value] : schema.items()) {
    if (key == "properties" && value.is_object())
      for (const auto& [name, property] : value.items())
        if (property.is_object() && property.value("format", "") == "path") out.insert(name);
    collect_file_keys(value, out);
  }
}

std::string moved(const std::string& path, const fs::path& from, const fs::path& to) {
  const fs::path p(path);
  if (p.is_absolute()) return path;
  // Lexically, as the parser joins a path to the scenario's directory: resolving symbolic links
  // here would give a path the parser reads from somewhere else.
  const fs::path target = (from / p).lexically_normal();
  const fs::path relative = target.lexically_relative(to);
  return relative.empty() ? target.string() : relative.string();
}

void move(nlohmann::json& node, const fs::path& from, const fs::path& to) {
  if (node.is_array()) {
    for (auto& item : node) move(item, from, to);
    return;
  }
  if (!node.is_object()) return;
  for (auto& [key, value] : node.items()) {
    if (value.is_string() && file_key_names().count(key)) value = moved(value.get<std::string>(), from, to);
    else move(value, from, to);
  }
}

}  // namespace

const std::set<std::string>& file_key_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> out;
    collect_file_keys(scenario_schema(), out);
    return out;
  }();
  return names;
}

void move_file_paths(nlohmann::json& document, const std::string& from_dir, const std::string& to_dir) {
  const fs::path from = fs::absolute(from_dir.empty() ? fs::path(".") : fs::path(from_dir)).lexically_normal();
  const fs::path to = fs::absolute(to_dir.empty() ? fs::path(".") : fs::path(to_dir)).lexically_normal();
  move(document, from, to);
}

}  // namespace recsim
