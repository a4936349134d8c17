#include "sim/scenario/profile_shape.h"

#include <cstdio>
#include <set>
#include <utility>

namespace recsim {
namespace {

void check(const ServiceSpec& s, int cores, const std::string& where, std::set<std::pair<std::string, int>>& seen,
           std::vector<std::string>& out) {
  if (s.type != "model" || !s.contention_curve) return;
  const int measured = s.profile_busy_cores > 0 ? s.profile_busy_cores : s.profile_cores;
  if (measured <= 0 || cores <= measured || !seen.insert({s.profile_file, cores}).second) return;
  out.push_back(where + " has " + std::to_string(cores) + " cores, but its CPU profile " + s.profile_file + " was measured on " +
                (s.profile_cpu_model.empty() ? std::string("a machine") : s.profile_cpu_model) + " with at most " +
                std::to_string(measured) + " cores busy at once: the contention of " + std::to_string(cores) +
                " busy cores is extrapolated from that, not measured");
}

}  // namespace

std::vector<std::string> profile_shape_warnings(const Scenario& scenario) {
  std::vector<std::string> out;
  std::set<std::pair<std::string, int>> seen;
  const Fleet& fleet = scenario.fleet;
  for (const auto& m : fleet.models)
    for (std::size_t k = 0; k < m.service.size() && k < fleet.kinds.size(); ++k)
      if (m.service[k])
        check(*m.service[k], fleet.kinds[k].cpu_cores,
              scenario.format < 2 ? "platform.servers." + std::to_string(k) : "server kind " + fleet.kinds[k].name, seen, out);
  return out;
}

void print_profile_shape_warnings(const Scenario& scenario) {
  const auto notes = profile_shape_warnings(scenario);
  if (!notes.empty()) std::fflush(stdout);  // after the answer, also where stdout is buffered
  for (const auto& w : notes) std::fprintf(stderr, "recsim: note: %s\n", w.c_str());
}

}  // namespace recsim
