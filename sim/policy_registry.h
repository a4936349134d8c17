#pragma once
// The lookups every registry shares (balancers, server scheduling policies, arrival processes,
// query-size distributions, service types): a registry is a list of entries named by a `name`, or by
// the `value` of their declared keys (`keys.value`); the parser's allowed names are the list's, in order.
#include <stdexcept>
#include <string>
#include <vector>

namespace recsim {

template <class Policy>
const std::string& name_of(const Policy& p) {
  if constexpr (requires { p.name; })
    return p.name;
  else
    return p.keys.value;
}

template <class Policy>
std::vector<std::string> policy_names(const std::vector<Policy>& policies) {
  std::vector<std::string> names;
  for (const auto& p : policies) names.push_back(name_of(p));
  return names;
}

// The policy of that name; throws std::out_of_range for an unknown one (`what` names the registry).
template <class Policy>
const Policy& find_policy(const std::vector<Policy>& policies, const std::string& name, const char* what) {
  for (const auto& p : policies)
    if (name_of(p) == name) return p;
  throw std::out_of_range("no " + std::string(what) + " \"" + name + "\"");
}

}  // namespace recsim
