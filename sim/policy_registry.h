#pragma once
// The lookups every policy registry shares (balancers, server scheduling policies): a registry is a
// list of policies with a `name`; the parser's allowed names are the list's, in order.
#include <stdexcept>
#include <string>
#include <vector>

namespace recsim {

template <class Policy>
std::vector<std::string> policy_names(const std::vector<Policy>& policies) {
  std::vector<std::string> names;
  for (const auto& p : policies) names.push_back(p.name);
  return names;
}

// The policy of that name; throws std::out_of_range for an unknown one (`what` names the registry).
template <class Policy>
const Policy& find_policy(const std::vector<Policy>& policies, const std::string& name, const char* what) {
  for (const auto& p : policies)
    if (p.name == name) return p;
  throw std::out_of_range("no " + std::string(what) + " \"" + name + "\"");
}

}  // namespace recsim
