#include "sim/failures/failure_parser.h"

#include "workloads/input_error.h"

#include <limits>
#include <string>

namespace recsim {
namespace {

using T = KeyDecl::Type;

const KeySection& section(const char* name) {
  for (const auto& s : failure_key_sections())
    if (s.name == name) return s;
  throw std::out_of_range(name);
}

// The index of the entry named `name` in `items` (the fleet's groups or kinds), or an error listing them.
template <typename Named>
int index_named(const std::vector<Named>& items, const std::string& name, const std::string& path, const char* what) {
  std::string names;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return static_cast<int>(i);
    names += (names.empty() ? "\"" : ", \"") + items[i].name + "\"";
  }
  throw InputError(path, std::string("no server ") + what + " \"" + name + "\" (" + what + "s: " + names + ")");
}

}  // namespace

const KeyDecl& failures_key() {
  static const KeyDecl k{.type = T::object, .name = "failures", .required = false,
                         .help = "servers, groups or racks going down, at scheduled times or at random, and what becomes of the queries they hold (docs/time.md)",
                         .when = "absent: no failures", .section = "failures"};
  return k;
}

const std::vector<KeySection>& failure_key_sections() {
  static const std::vector<KeySection> sections{
      {"failures", "failures of servers, groups and racks, and the queries they catch",
       {{.type = T::array, .name = "scheduled", .required = false, .fallback = nlohmann::json::array(),
         .help = "planned outages: a server, a group, or one of a group's racks, down from `down_s` to `up_s`", .section = "scheduled_failure", .items = "object"},
        {.type = T::array, .name = "random", .required = false, .fallback = nlohmann::json::array(),
         .help = "random failures of every server of a kind, each server independently", .section = "random_failures", .items = "object"},
        {.type = T::choice, .name = "on_failure", .required = false, .fallback = "retry", .choices = {"retry", "lose"},
         .help = "what becomes of a query whose server fails while it is there (queued or in service, on its cores or GPUs), or that reaches a server that is down: `retry` the frontend re-issues it to a server that is up after `retry_timeout_ms` (its latency runs from its first arrival), `lose` it is lost (counted, not in the latency statistics)"},
        {.name = "retry_timeout_ms", .required = false, .lo = 0.0, .hi = 1e9, .fallback = 100.0, .unit = "ms",
         .help = "time from the failure (or from reaching a down server) until the query is re-issued: the frontend's timeout"},
        {.type = T::integer, .name = "max_retries", .required = false, .lo = 0, .hi = 100, .fallback = 2,
         .help = "re-issues allowed per query; a query caught again after its last is lost"}}},
      {"scheduled_failure", "one planned outage",
       {{.type = T::string, .name = "group", .help = "the server group it strikes", .also = "a group's name"},
        {.type = T::integer, .name = "server", .required = false, .lo = 0, .hi = 1e9, .help = "one server of the group (its index: servers are named `<group>-<index>`)",
         .when = "absent: every server of the group (or of `rack`)", .also = "< the group's `count`; not with `rack`"},
        {.type = T::integer, .name = "rack", .required = false, .lo = 0, .hi = 1e9,
         .help = "one of the group's racks (index from 0; a group's servers fill racks of `network.servers_per_rack` in order): its top-of-rack link fails, cutting its servers off the network (they stay powered, idle)",
         .when = "absent: not a rack", .also = "only with `network`; < the group's racks"},
        {.name = "down_s", .lo = 0.0, .hi = 1e9, .unit = "s", .help = "virtual time it goes down"},
        {.name = "up_s", .required = false, .lo = 0.0, .hi = 1e9, .unit = "s", .help = "virtual time it comes back (a repaired server starts with idle, cold cores)",
         .when = "absent: down until the end", .also = "> `down_s`"}}},
      {"random_failures", "random failures of one kind's servers",
       {{.type = T::string, .name = "kind", .help = "the server kind whose servers fail", .also = "a kind's name (format 1: a server group's name)"},
        {.name = "mtbf_h", .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "h", .help = "mean time between failures: the mean up time of each server"},
        {.name = "mttr_h", .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "h", .help = "mean time to repair: each down time is exponential with this mean"},
        {.name = "shape", .required = false, .lo = 0.1, .hi = 10.0, .fallback = 1.0,
         .help = "Weibull shape of the up times (mean `mtbf_h`): 1 exponential (memoryless), above 1 wear-out, below 1 early failures. Each server's long-run availability is `mtbf_h` / (`mtbf_h` + `mttr_h`) whatever the shape"}}}};
  return sections;
}

FailureSpec parse_failures(JsonReader failures, const Fleet& fleet) {
  const KeySection& top = section("failures");
  const KeySection& scheduled = section("scheduled_failure");
  const KeySection& random = section("random_failures");
  FailureSpec spec;
  static const nlohmann::json none = nlohmann::json::array();
  const auto& events = failures.has("scheduled") ? read_array(failures, top.key("scheduled")) : none;
  for (std::size_t i = 0; i < events.size(); ++i) {
    JsonReader e(events[i], failures.child_path("scheduled") + "." + std::to_string(i));
    ScheduledFailure f;
    f.group = index_named(fleet.groups, read_string(e, scheduled.key("group")), e.child_path("group"), "group");
    const ServerGroup& group = fleet.groups[static_cast<std::size_t>(f.group)];
    if (e.has("server")) {
      f.server = static_cast<int>(read_integer(e, scheduled.key("server")));
      if (*f.server >= group.count)
        throw InputError(e.child_path("server"), "group \"" + group.name + "\" has " + std::to_string(group.count) + " servers (indices 0 to " +
                                                     std::to_string(group.count - 1) + ")");
    }
    if (e.has("rack")) {
      if (f.server) throw InputError(e.child_path("rack"), "a failure strikes one server or one rack, not both");
      if (!fleet.network.enabled) throw InputError(e.child_path("rack"), "racks exist only with a `network`");
      f.rack = static_cast<int>(read_integer(e, scheduled.key("rack")));
      const int racks = (group.count + fleet.network.servers_per_rack - 1) / fleet.network.servers_per_rack;
      if (*f.rack >= racks)
        throw InputError(e.child_path("rack"), "group \"" + group.name + "\" fills " + std::to_string(racks) + " racks of " +
                                                   std::to_string(fleet.network.servers_per_rack) + " servers (indices 0 to " + std::to_string(racks - 1) + ")");
    }
    f.down_s = read_number(e, scheduled.key("down_s"));
    if (e.has("up_s")) {
      f.up_s = read_number(e, scheduled.key("up_s"));
      if (!(*f.up_s > f.down_s)) throw InputError(e.child_path("up_s"), "expected a time after down_s (" + std::to_string(f.down_s) + ")");
    }
    e.finish();
    spec.scheduled.push_back(f);
  }
  const auto& kinds = failures.has("random") ? read_array(failures, top.key("random")) : none;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    JsonReader r(kinds[i], failures.child_path("random") + "." + std::to_string(i));
    RandomFailures f;
    f.kind = index_named(fleet.kinds, read_string(r, random.key("kind")), r.child_path("kind"), "kind");
    for (const auto& other : spec.random)
      if (other.kind == f.kind) throw InputError(r.child_path("kind"), "kind \"" + fleet.kinds[static_cast<std::size_t>(f.kind)].name + "\" is listed twice");
    f.mtbf_s = read_number(r, random.key("mtbf_h")) * 3600.0;
    f.mttr_s = read_number(r, random.key("mttr_h")) * 3600.0;
    f.shape = read_number(r, random.key("shape"));
    r.finish();
    spec.random.push_back(f);
  }
  spec.retry = read_choice(failures, top.key("on_failure")) == "retry";
  spec.retry_timeout_s = read_number(failures, top.key("retry_timeout_ms")) / 1e3;
  spec.max_retries = static_cast<int>(read_integer(failures, top.key("max_retries")));
  failures.finish();
  return spec;
}

}  // namespace recsim
