#include "sim/scaling/autoscaling_parser.h"

#include "sim/scaling/scaling_registry.h"
#include "workloads/input_error.h"

namespace recsim {

const KeySection& scaling_step_keys();  // schedule_scaling.cpp

namespace {

using T = KeyDecl::Type;

const KeySection& group_keys() {
  static const KeySection s{
      "scaled_group",
      "one group the autoscaler sizes",
      {{.type = T::string, .name = "group", .help = "the server group", .also = "a group's name; each group at most once"},
       {.type = T::integer, .name = "min", .required = false, .lo = 1, .hi = 1e9, .fallback = 1,
        .help = "fewest servers active (at least one: a group scaled to none would get no work to measure and never scale out again)"},
       {.type = T::integer, .name = "max", .required = false, .lo = 1, .hi = 1e9, .help = "most servers active", .when = "the group's `count`",
        .also = "<= the group's `count`; >= `min`"},
       {.type = T::integer, .name = "initial", .required = false, .lo = 1, .hi = 1e9, .help = "servers active at time 0 (the rest powered off)",
        .when = "`max`", .also = "in [`min`, `max`]"}}};
  return s;
}

}  // namespace

const KeyDecl& autoscaling_key() {
  static const KeyDecl k{.type = T::object, .name = "autoscaling", .required = false,
                         .help = "groups whose active servers a policy sizes through time (docs/time.md)", .when = "absent: every server active throughout",
                         .section = "autoscaling"};
  return k;
}

const std::vector<KeyDecl>& autoscaling_common_keys() {
  static const std::vector<KeyDecl> keys{
      {.type = T::choice, .name = "policy", .choices = scaling_names(), .help = "the policy (below)"},
      {.name = "interval_s", .required = false, .lo = 0.0, .hi = 1e9, .lo_open = true, .fallback = 60.0, .unit = "s",
       .help = "how often the policy decides, from the work placed over the last interval"},
      {.name = "startup_s", .required = false, .lo = 0.0, .hi = 1e9, .fallback = 120.0, .unit = "s",
       .help = "a server's boot time: powered and idle, not yet serving"},
      {.type = T::array, .name = "groups", .help = "the groups it sizes (the others stay fully active)", .also = "at least one",
       .section = "scaled_group", .items = "object"}};
  return keys;
}

const std::vector<KeySection>& autoscaling_key_sections() {
  static const std::vector<KeySection> sections{group_keys(), scaling_step_keys()};
  return sections;
}

std::vector<KeyVariant> scaling_variants() {
  std::vector<KeyVariant> v;
  for (const auto& k : scaling_kinds()) v.push_back(k.keys);
  return v;
}

AutoscalingSpec parse_autoscaling(JsonReader a, const Fleet& fleet) {
  const std::vector<KeyDecl>& common = autoscaling_common_keys();
  const auto key = [&common](const char* name) -> const KeyDecl& {
    for (const auto& k : common)
      if (k.name == name) return k;
    throw std::out_of_range(name);
  };
  // Its demand is a group's CPU work over all its cores: a model's own instances, a pool of their
  // own, could saturate while that demand stays low.
  for (const auto& m : fleet.models)
    for (const auto& s : m.scheduler)
      if (s.instances > 0)
        throw InputError(a.path().empty() ? "autoscaling" : a.path(),
                         "scales on each group's CPU demand over all its cores; model \"" + m.name +
                             "\" has instances of its own (scheduler.instances), whose own queue that demand does not see: remove one or the other");
  AutoscalingSpec spec;
  spec.policy = read_choice(a, key("policy"));
  spec.interval_s = read_number(a, key("interval_s"));
  spec.startup_s = read_number(a, key("startup_s"));
  const auto& groups = read_array(a, key("groups"));
  if (groups.empty()) throw InputError(a.child_path("groups"), "expected at least one group");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    JsonReader g(groups[i], a.child_path("groups") + "." + std::to_string(i));
    const std::string name = read_string(g, group_keys().key("group"));
    ScaledGroup sg;
    sg.group = -1;
    for (std::size_t k = 0; k < fleet.groups.size(); ++k)
      if (fleet.groups[k].name == name) sg.group = static_cast<int>(k);
    if (sg.group < 0) throw InputError(g.child_path("group"), "no server group \"" + name + "\"");
    for (const auto& other : spec.groups)
      if (other.group == sg.group) throw InputError(g.child_path("group"), "group \"" + name + "\" is listed twice");
    const int count = fleet.groups[static_cast<std::size_t>(sg.group)].count;
    sg.min = static_cast<int>(read_integer(g, group_keys().key("min")));
    sg.max = g.has("max") ? static_cast<int>(read_integer(g, group_keys().key("max"))) : count;
    if (sg.max > count) throw InputError(g.child_path("max"), "group \"" + name + "\" has only " + std::to_string(count) + " servers");
    if (sg.min > sg.max) throw InputError(g.child_path("min"), "expected at most max (" + std::to_string(sg.max) + ")");
    sg.initial = g.has("initial") ? static_cast<int>(read_integer(g, group_keys().key("initial"))) : sg.max;
    if (sg.initial < sg.min || sg.initial > sg.max)
      throw InputError(g.child_path("initial"), "expected a number in [" + std::to_string(sg.min) + ", " + std::to_string(sg.max) + "]");
    g.finish();
    spec.groups.push_back(sg);
  }
  const ScalingKind& kind = scaling_kind(spec.policy);
  kind.parse(a, kind.keys, fleet, spec);
  a.finish();
  return spec;
}

}  // namespace recsim
