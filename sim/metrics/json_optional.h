#pragma once
// std::optional to and from the results JSON: an absent value is null. Shared by the results'
// writers and readers (results_json, datacenter_json, time_series_json).
#include <nlohmann/json.hpp>

#include <optional>

namespace recsim {

template <typename T>
nlohmann::ordered_json optional_to_json(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

// The value at `key`, or none when the key is absent or null.
template <typename T>
std::optional<T> optional_from_json(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return j.at(key).get<T>();
}

}  // namespace recsim
