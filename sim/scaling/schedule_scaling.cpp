// schedule: servers per group set by time of day, e.g. from last week's load (at each interval, the
// last step at or before it).
#include "sim/scaling/scaling_registry.h"

#include "workloads/input_error.h"

#include <map>

namespace recsim {
namespace {

class Schedule final : public ScalingRule {
 public:
  Schedule(std::map<double, int> steps, int initial) : steps_(std::move(steps)), initial_(initial) {}
  int desired(const ScalingInput& in) override {
    const auto after = steps_.upper_bound(in.now);
    return after == steps_.begin() ? initial_ : std::prev(after)->second;
  }

 private:
  std::map<double, int> steps_;
  int initial_;
};

const KeySection& step_keys() {
  static const KeySection s{"scaling_step", "one step of a scaling schedule",
                            {{.type = KeyDecl::Type::string, .name = "group", .help = "the scaled group", .also = "a group listed in `autoscaling.groups`"},
                             {.name = "at_s", .lo = 0.0, .hi = 1e9, .unit = "s", .help = "virtual time from which it holds"},
                             {.type = KeyDecl::Type::integer, .name = "servers", .lo = 1, .hi = 1e9, .help = "servers active from then on (clamped to the group's bounds)"}}};
  return s;
}

}  // namespace

const KeySection& scaling_step_keys() { return step_keys(); }

ScalingKind schedule_scaling() {
  KeyVariant keys{"schedule",
                  "servers per group by time: at each interval, the last step at or before it (the group's `initial` before the first)",
                  {{.type = KeyDecl::Type::array, .name = "steps", .help = "the schedule", .section = "scaling_step", .items = "object"}},
                  {}};
  return {keys, [](JsonReader& a, const KeyVariant& k, const Fleet& fleet, AutoscalingSpec& spec) {
            const auto& steps = read_array(a, k.key("steps"));
            std::map<int, std::map<double, int>> by_group;
            for (std::size_t i = 0; i < steps.size(); ++i) {
              JsonReader s(steps[i], a.child_path("steps") + "." + std::to_string(i));
              const std::string name = read_string(s, step_keys().key("group"));
              int group = -1;
              for (const auto& g : spec.groups)
                if (fleet.groups[static_cast<std::size_t>(g.group)].name == name) group = g.group;
              if (group < 0) throw InputError(s.child_path("group"), "\"" + name + "\" is not a group in autoscaling.groups");
              const double at = read_number(s, step_keys().key("at_s"));
              by_group[group][at] = static_cast<int>(read_integer(s, step_keys().key("servers")));
              s.finish();
            }
            spec.make = [by_group](const ScaledGroup& g) {
              const auto it = by_group.find(g.group);
              return std::make_unique<Schedule>(it == by_group.end() ? std::map<double, int>{} : it->second, g.initial);
            };
          }};
}

}  // namespace recsim
