// Format 2 of the scenario file: a datacenter of server kinds and groups serving several models
// behind one balancer, optionally over a network of racks (docs/scenario-format.md, "Format 2").
// Every key is checked and every error names its JSON path.
#include "sim/balancing/balancer.h"
#include "sim/scenario/scenario_sections.h"
#include "sim/scheduling/scheduler_policy.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <filesystem>
#include <limits>
#include <map>
#include <set>

namespace recsim {
namespace {

constexpr std::int64_t kMaxServers = 100000;
// Each (model, kind) pair reads its kind's profiles: bounded so that a small file cannot ask for
// hours of parsing.
constexpr std::size_t kMaxKinds = 256, kMaxModels = 256, kMaxGroups = 10000, kMaxModelKindPairs = 4096;

void check_name(const std::string& name, const std::string& where) {
  if (name.empty()) throw InputError(where, "expected a non-empty name");
}

// A link: { "gb_per_s": bandwidth per direction, "latency_us": latency }.
void parse_link(JsonReader link, double& bytes_per_s, double& latency_s) {
  bytes_per_s = link.number("gb_per_s", 1e-3, 1e6) * 1e9;
  latency_s = link.number("latency_us", 0.0, 1e6) * 1e-6;
  link.finish();
}

struct KindText {  // a kind's profile paths as written (resolved by parse_service)
  std::string cpu_profile, gpu_profile;
};

ServerKind parse_kind(JsonReader k, const std::string& base_dir, KindText& text) {
  ServerKind kind;
  kind.name = k.string("name");
  check_name(kind.name, k.child_path("name"));
  kind.cpu_cores = static_cast<int>(k.integer("cpu_cores", 1, 4096));
  kind.gpus = static_cast<int>(k.integer_or("gpus", 0, 0, 64));
  if (k.has("cpu_profile")) {
    text.cpu_profile = k.string("cpu_profile");
    kind.cpu_profile = (std::filesystem::path(base_dir) / text.cpu_profile).lexically_normal().string();
    if (std::filesystem::path(text.cpu_profile).is_absolute()) kind.cpu_profile = text.cpu_profile;
  }
  if (kind.gpus > 0) {
    parse_link(k.object("pcie"), kind.pcie_bytes_per_s, kind.pcie_latency_s);
    if (k.has("gpu_profile")) {
      text.gpu_profile = k.string("gpu_profile");
      kind.gpu_profile = std::filesystem::path(text.gpu_profile).is_absolute()
                             ? text.gpu_profile
                             : (std::filesystem::path(base_dir) / text.gpu_profile).lexically_normal().string();
    }
  } else {
    for (const char* key : {"pcie", "gpu_profile"})
      if (k.has(key)) throw InputError(k.child_path(key), "a server kind without GPUs has none: set \"gpus\" >= 1 or remove it");
  }
  if (k.has("power")) {
    JsonReader p = k.object("power");
    PowerSpec power;
    power.cpu_idle_w = p.number("cpu_idle_w", 0.0, 1e5);
    power.cpu_busy_w = p.number("cpu_busy_w", 0.0, 1e5);
    if (power.cpu_busy_w < power.cpu_idle_w)
      throw InputError(p.child_path("cpu_busy_w"), "expected at least cpu_idle_w (" + std::to_string(power.cpu_idle_w) + ")");
    if (kind.gpus > 0) {
      power.gpu_idle_w = p.number("gpu_idle_w", 0.0, 1e5);
      power.gpu_busy_w = p.number("gpu_busy_w", 0.0, 1e5);
      if (power.gpu_busy_w < power.gpu_idle_w)
        throw InputError(p.child_path("gpu_busy_w"), "expected at least gpu_idle_w (" + std::to_string(power.gpu_idle_w) + ")");
    } else {
      for (const char* key : {"gpu_idle_w", "gpu_busy_w"})
        if (p.has(key)) throw InputError(p.child_path(key), "the kind has no GPUs");
    }
    power.other_w = p.number_or("other_w", 0.0, 0.0, 1e5);
    power.source = p.string("source");
    check_name(power.source, p.child_path("source"));
    p.finish();
    kind.power = power;
  }
  if (k.has("cost_per_hour")) kind.cost_per_hour = k.number("cost_per_hour", 0.0, 1e9);
  k.finish();
  return kind;
}

// models.N.service for one kind: the model's own service object, with the kind's profiles for a
// service of type "model".
ServiceSpec service_on_kind(const nlohmann::json& service, const std::string& where, const ServerKind& kind,
                            const KindText& text, const std::string& kind_path, const std::string& base_dir,
                            ProfileCache& profiles) {
  nlohmann::json copy = service;
  const bool model = copy.is_object() && copy.contains("type") && copy["type"] == "model";
  if (model) {
    for (const char* key : {"profile", "gpu_profile"})
      if (copy.contains(key))
        throw InputError(where + "." + key, "in format 2 the profiles belong to the server kinds (server_kinds.N.cpu_profile, gpu_profile)");
    if (text.cpu_profile.empty())
      throw InputError(kind_path + ".cpu_profile", "required: server kind \"" + kind.name + "\" serves a model of type \"model\"");
    copy["profile"] = text.cpu_profile;
    if (!text.gpu_profile.empty()) copy["gpu_profile"] = text.gpu_profile;
  }
  if (copy.is_object() && copy.contains("embedding_cache"))
    throw InputError(where + ".embedding_cache", "the parameter server is simulated in format-1 scenarios only (one model)");
  try {
    return parse_service(JsonReader(copy, where), base_dir, &profiles);
  } catch (const InputError& e) {
    // Errors in what the kind contributed name the kind's key.
    std::string at = e.where();
    if (at == where + ".profile") at = kind_path + ".cpu_profile";
    if (at == where + ".gpu_profile") at = kind_path + ".gpu_profile";
    throw InputError(at, e.expected() + " (on server kind \"" + kind.name + "\")");
  }
}

}  // namespace

Scenario parse_datacenter_scenario(const nlohmann::json& document, const std::string& base_dir) {
  Scenario s;
  s.format = 2;
  JsonReader top(document, "");
  top.integer("format", 2, 2);
  s.name = top.string("name");
  top.string_or("description", "");
  s.seed = static_cast<std::uint64_t>(top.integer_or("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));

  // Server kinds.
  const auto& kinds = top.array("server_kinds");
  if (kinds.empty()) throw InputError("server_kinds", "expected at least one server kind");
  if (kinds.size() > kMaxKinds) throw InputError("server_kinds", "expected at most " + std::to_string(kMaxKinds) + " server kinds");
  std::vector<KindText> texts;
  std::map<std::string, int> kind_index;
  for (std::size_t i = 0; i < kinds.size(); ++i) {
    KindText text;
    const std::string where = "server_kinds." + std::to_string(i);
    s.fleet.kinds.push_back(parse_kind(JsonReader(kinds[i], where), base_dir, text));
    texts.push_back(text);
    if (!kind_index.emplace(s.fleet.kinds.back().name, static_cast<int>(i)).second)
      throw InputError(where + ".name", "server kind name \"" + s.fleet.kinds.back().name + "\" is used twice");
  }

  // Server groups.
  const auto& groups = top.array("server_groups");
  if (groups.empty()) throw InputError("server_groups", "expected at least one server group");
  if (groups.size() > kMaxGroups) throw InputError("server_groups", "expected at most " + std::to_string(kMaxGroups) + " server groups");
  std::map<std::string, int> group_index;
  std::int64_t total = 0;
  std::vector<bool> kind_used(s.fleet.kinds.size(), false);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string where = "server_groups." + std::to_string(i);
    JsonReader g(groups[i], where);
    ServerGroup group;
    group.name = g.string("name");
    check_name(group.name, g.child_path("name"));
    const std::string kind = g.string("kind");
    const auto k = kind_index.find(kind);
    if (k == kind_index.end()) throw InputError(g.child_path("kind"), "no server kind is named \"" + printable(kind, 80) + "\"");
    group.kind = k->second;
    kind_used[static_cast<std::size_t>(k->second)] = true;
    group.count = static_cast<int>(g.integer_or("count", 1, 1, kMaxServers));
    const ServerKind& sk = s.fleet.kinds[static_cast<std::size_t>(group.kind)];
    group.cpu_cores = sk.cpu_cores;
    group.gpus = sk.gpus;
    group.pcie_bytes_per_s = sk.pcie_bytes_per_s;
    group.pcie_latency_s = sk.pcie_latency_s;
    g.finish();
    if (!group_index.emplace(group.name, static_cast<int>(i)).second)
      throw InputError(where + ".name", "server group name \"" + group.name + "\" is used twice");
    total += group.count;
    if (total > kMaxServers)
      throw InputError(where + ".count", "the fleet would have more than " + std::to_string(kMaxServers) + " servers in all");
    s.fleet.groups.push_back(group);
  }
  for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k)
    if (!kind_used[k])
      throw InputError("server_kinds." + std::to_string(k), "no server group is of kind \"" + s.fleet.kinds[k].name + "\"");

  // Arrivals: one stream for all models.
  JsonReader workload = top.object("workload");
  parse_arrival(workload.object("arrival"), base_dir, s.arrival);
  workload.finish();
  const bool trace = s.arrival.process == ArrivalSpec::Process::trace;

  // Models.
  const auto& models = top.array("models");
  if (models.empty()) throw InputError("models", "expected at least one model");
  if (models.size() > kMaxModels) throw InputError("models", "expected at most " + std::to_string(kMaxModels) + " models");
  std::size_t pairs = 0;
  ProfileCache profiles;
  std::set<std::string> model_names;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const std::string where = "models." + std::to_string(i);
    JsonReader m(models[i], where);
    FleetModel d;
    d.name = m.string("name");
    check_name(d.name, m.child_path("name"));
    if (!model_names.insert(d.name).second) throw InputError(where + ".name", "model name \"" + d.name + "\" is used twice");
    d.share = m.number_or("share", 1.0, 0.0, 1e12, true);
    if (trace) {
      if (m.has("query_size"))
        throw InputError(m.child_path("query_size"), "must be absent with \"process\": \"trace\" (sizes come from the trace file)");
      d.query_size = QuerySizeSpec{};  // from the trace
    } else {
      d.query_size = parse_query_size(m.object("query_size"), base_dir);
    }
    JsonReader sla = m.object("sla");
    d.sla.percentile = sla.number("percentile", 0.0, 100.0, true, true);
    d.sla.target_ms = sla.number("target_ms", 0.0, 1e12, true);
    sla.finish();
    // Placement: the groups serving it (default: all).
    if (m.has("groups")) {
      const auto& list = m.array("groups");
      const std::string lp = m.child_path("groups");
      if (list.empty()) throw InputError(lp, "expected at least one server group");
      for (std::size_t j = 0; j < list.size(); ++j) {
        const std::string item = lp + "." + std::to_string(j);
        if (!list[j].is_string()) throw InputError(item, "expected a server group's name, got " + json_type_name(list[j]));
        const auto gi = group_index.find(list[j].get<std::string>());
        if (gi == group_index.end())
          throw InputError(item, "no server group is named \"" + printable(list[j].get<std::string>(), 80) + "\"");
        if (std::find(d.groups.begin(), d.groups.end(), gi->second) != d.groups.end())
          throw InputError(item, "server group \"" + gi->first + "\" is listed twice");
        d.groups.push_back(gi->second);
      }
      std::sort(d.groups.begin(), d.groups.end());
    } else {
      for (std::size_t g = 0; g < s.fleet.groups.size(); ++g) d.groups.push_back(static_cast<int>(g));
    }
    // Service and scheduler per kind hosting it.
    const nlohmann::json& service = m.value("service");
    const std::string service_path = m.child_path("service");
    if (!service.is_object()) throw InputError(service_path, "expected an object, got " + json_type_name(service));
    const SchedulerSpec default_scheduler = parse_scheduler(m.object("scheduler"));
    std::map<std::string, SchedulerSpec> by_kind;
    if (m.has("scheduler_by_kind")) {
      JsonReader per = m.object("scheduler_by_kind");
      const auto& object = m.value("scheduler_by_kind");
      for (auto it = object.begin(); it != object.end(); ++it) {
        if (!kind_index.count(it.key()))
          throw InputError(per.child_path(it.key()), "no server kind is named \"" + printable(it.key(), 80) + "\"");
        by_kind[it.key()] = parse_scheduler(per.object(it.key()));
      }
      per.finish();
    }
    d.service.resize(s.fleet.kinds.size());
    d.scheduler.assign(s.fleet.kinds.size(), default_scheduler);
    std::vector<bool> hosts(s.fleet.kinds.size(), false);
    for (int g : d.groups) hosts[static_cast<std::size_t>(s.fleet.groups[static_cast<std::size_t>(g)].kind)] = true;
    for (const auto& [name, spec] : by_kind) {
      const auto k = static_cast<std::size_t>(kind_index.at(name));
      if (!hosts[k])
        throw InputError(where + ".scheduler_by_kind." + name, "no server group of kind \"" + name + "\" serves this model");
      d.scheduler[k] = spec;
    }
    for (std::size_t k = 0; k < s.fleet.kinds.size(); ++k) {
      if (!hosts[k]) continue;
      if (++pairs > kMaxModelKindPairs)
        throw InputError(where, "more than " + std::to_string(kMaxModelKindPairs) + " (model, server kind) pairs in all: host fewer models on each kind");
      const std::string kind_path = "server_kinds." + std::to_string(k);
      d.service[k] = std::make_shared<const ServiceSpec>(service_on_kind(service, service_path, s.fleet.kinds[k], texts[k], kind_path, base_dir, profiles));
      const SchedulerSpec& sched = d.scheduler[k];
      const SchedulerPolicy& policy = scheduler_policy(sched.policy);
      const std::string sched_where = by_kind.count(s.fleet.kinds[k].name) ? where + ".scheduler_by_kind." + s.fleet.kinds[k].name + ".policy"
                                                                      : where + ".scheduler.policy";
      if (policy.online)
        throw InputError(sched_where, "\"deeprecsched-online\" climbs one model's configuration: it runs in format-1 scenarios only");
      if (policy.offloads) {
        if (s.fleet.kinds[k].gpus == 0)
          throw InputError(sched_where, "\"" + sched.policy + "\" offloads queries to GPUs, but server kind \"" + s.fleet.kinds[k].name +
                                            "\" has none: give it another policy in scheduler_by_kind");
        if (!d.service[k]->gpu_curve)
          throw InputError(kind_path + ".gpu_profile", "required: model \"" + d.name + "\" is offloaded to this kind's GPUs");
      }
    }
    m.finish();
    s.fleet.models.push_back(std::move(d));
  }

  if (top.has("balancer")) {
    JsonReader b = top.object("balancer");
    s.fleet.balancer = b.choice_or("policy", balancer_names(), "least_loaded");
    b.finish();
  }

  if (top.has("network")) {
    JsonReader n = top.object("network");
    NetworkSpec& net = s.fleet.network;
    net.enabled = true;
    net.servers_per_rack = static_cast<int>(n.integer_or("servers_per_rack", 40, 1, kMaxServers));
    parse_link(n.object("server_link"), net.nic_bytes_per_s, net.nic_latency_s);
    parse_link(n.object("rack_uplink"), net.uplink_bytes_per_s, net.uplink_latency_s);
    if (n.has("frontend_link")) {
      net.frontend_link = true;
      parse_link(n.object("frontend_link"), net.frontend_bytes_per_s, net.frontend_latency_s);
    }
    for (const char* key : {"request_bytes", "response_bytes"}) {
      JsonReader bytes = n.object(key);
      const double base = bytes.number_or("base", 0.0, 0.0, 1e12);
      const double per_item = bytes.number_or("per_item", 0.0, 0.0, 1e9);
      bytes.finish();
      if (std::string(key) == "request_bytes") {
        net.request_bytes = base;
        net.request_bytes_per_item = per_item;
      } else {
        net.response_bytes = base;
        net.response_bytes_per_item = per_item;
      }
    }
    n.finish();
  }

  double share_total = 0.0;
  for (const auto& m : s.fleet.models) share_total += m.share;
  for (auto& m : s.fleet.models) m.share /= share_total;

  JsonReader run = top.object("run");
  parse_run(run, s);
  run.finish();
  top.finish();
  return s;
}

}  // namespace recsim
