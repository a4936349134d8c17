#include "sim/metrics/csv_table.h"

namespace recsim {
namespace {

using ojson = nlohmann::ordered_json;

std::string csv_cell(const ojson& v) {
  if (v.is_null()) return "";
  std::string text = v.is_string() ? v.get<std::string>() : v.dump();
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string table_csv(const std::vector<ojson>& table) {
  if (table.empty()) return "";
  std::string text;
  bool first = true;
  for (const auto& [name, _] : table.front().items()) {
    if (!first) text += ',';
    text += csv_cell(name);
    first = false;
  }
  text += "\n";
  for (const auto& row : table) {
    first = true;
    for (const auto& [_, value] : row.items()) {
      if (!first) text += ',';
      text += csv_cell(value);
      first = false;
    }
    text += "\n";
  }
  return text;
}

}  // namespace recsim
