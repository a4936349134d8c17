// Format 2 of the scenario file: a datacenter of server kinds and groups serving several models
// behind one balancer, optionally over a network of racks (docs/scenario-format.md, "Format 2").
// Every key is checked and every error names its JSON path. The keys of the objects read here are
// declared once below (sim/scenario/datacenter_keys.h) and read through their declarations.
#include "sim/balancing/balancer.h"
#include "sim/scenario/datacenter_keys.h"
#include "sim/scenario/deployment_check.h"
#include "sim/scenario/embedding_cache_parser.h"
#include "sim/failures/failure_parser.h"
#include "sim/scaling/autoscaling_parser.h"
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
// Each model's random streams of the parameter server (keys, updates) start at its index times this.
constexpr std::size_t kStreamsPerModel = 1024;

using Type = KeyDecl::Type;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string at_most(std::size_t n, const std::string& what) { return "at least one, at most " + std::to_string(n) + " " + what; }

const KeySection& top_keys() {
  static const KeySection s{
      "scenario_v2",
      "A format-2 scenario: a datacenter of server kinds and groups serving several models behind one balancer, optionally over "
      "a rack network",
      {{.type = Type::integer, .name = "format", .lo = 2, .hi = 2, .help = "the format; 2 for the keys of this section"},
       {.type = Type::string, .name = "name", .help = "names the scenario in results", .also = "non-empty"},
       {.type = Type::string, .name = "description", .required = false, .fallback = "",
        .help = "free text for people; ignored by the simulator", .when = "none", .also = "non-empty"},
       {.type = Type::integer, .name = "seed", .required = false, .lo = 0, .hi = kInf, .fallback = 1,
        .help = "seeds every random stream (see *Randomness*)"},
       {.type = Type::array, .name = "server_kinds", .help = "the kinds of server",
        .also = at_most(kMaxKinds, "kinds") + "; every kind used by a group", .section = "server_kind", .items = "object"},
       {.type = Type::array, .name = "server_groups", .help = "groups of identical servers",
        .also = at_most(kMaxGroups, "groups") + "; at most " + std::to_string(kMaxServers) + " servers in all",
        .section = "server_group", .items = "object"},
       {.type = Type::object, .name = "workload", .help = "arrivals: one stream for all models", .section = "workload_v2"},
       {.type = Type::array, .name = "models", .help = "the models the fleet serves",
        .also = at_most(kMaxModels, "models") + "; at most " + std::to_string(kMaxModelKindPairs) +
                " (model, hosting kind) pairs (each pair reads its kind's profiles)",
        .section = "model", .items = "object"},
       {.type = Type::object, .name = "balancer", .required = false, .help = "which server gets each query",
        .when = "absent: `policy` `\"least_loaded\"`", .section = "balancer"},
       {.type = Type::object, .name = "network", .required = false, .help = "the rack network queries and responses cross",
        .when = "absent: no network", .section = "network"},
       {.type = Type::object, .name = "run", .help = "run length and warm-up", .also = "as in format 1", .section = "run"},
       failures_key(),
       autoscaling_key()}};
  return s;
}

const KeySection& workload_keys() {
  static const KeySection s{
      "workload_v2",
      "The arrivals of a format-2 scenario (the query sizes are each model's)",
      {{.type = Type::object, .name = "arrival",
        .help = "one arrival stream for all models (Poisson or a trace; with a trace the sizes come from it and the models' "
                "`query_size` must be absent)",
        .also = "as `workload.arrival` in format 1", .section = "arrival"}}};
  return s;
}

const KeySection& kind_keys() {
  static const KeySection s{
      "server_kind",
      "A kind of server (server_kinds.N): its cores, GPUs, profiles, power and cost",
      {{.type = Type::string, .name = "name", .help = "named by groups and `scheduler_by_kind`", .also = "non-empty, unique"},
       {.type = Type::integer, .name = "cpu_cores", .lo = 1, .hi = 4096, .unit = "cores", .help = "cores per server"},
       {.type = Type::integer, .name = "gpus", .required = false, .lo = 0, .hi = 64, .fallback = 0, .unit = "GPUs",
        .help = "GPUs per server, each on its own PCIe link"},
       {.type = Type::file, .name = "cpu_profile", .required = false, .unit = "path",
        .help = "the kind's CPU times: each model's curves in it", .when = "required when a model of type `\"model\"` runs on the kind",
        .also = "a CPU profile"},
       {.type = Type::file, .name = "gpu_profile", .required = false, .unit = "path", .help = "the kind's GPU kernel times",
        .when = "required when a model is offloaded on the kind", .also = "a GPU profile with kernel-only times; refused without GPUs"},
       {.type = Type::object, .name = "pcie", .required = false, .help = "each GPU's link",
        .when = "required with GPUs, refused without", .section = "link"},
       {.type = Type::object, .name = "power", .required = false,
        .help = "the kind's power model (docs/design.md, \"Energy and power\"): P = `other_w` + `cpu_idle_w` + (`cpu_busy_w` − "
                "`cpu_idle_w`) · CPU utilisation + per GPU `gpu_idle_w` + (`gpu_busy_w` − `gpu_idle_w`) · its kernel-busy fraction",
        .when = "absent: no power figures for the kind (then no fleet energy)", .section = "power"},
       {.type = Type::number, .name = "cost_per_hour", .required = false, .lo = 0.0, .hi = 1e9, .unit = "any currency",
        .help = "per server; with it on every kind, the results give the fleet's cost per hour and per million queries",
        .when = "absent"},
       {.type = Type::number, .name = "embedding_cache_gib", .required = false, .lo = 0.0, .hi = 1e4, .lo_open = true, .unit = "GiB",
        .help = "each GPU's memory for the embedding caches of the models offloaded to it (HPS's GPU cache, docs/parameter-server.md): "
                "each model with `service.embedding_cache` takes its `gpu_memory_share` of it",
        .when = "required where a hosted model keeps an embedding cache; refused without GPUs"}}};
  return s;
}

const KeySection& power_keys() {
  static const KeySection s{
      "power",
      "A server kind's power figures (server_kinds.N.power)",
      {{.name = "cpu_idle_w", .lo = 0.0, .hi = 1e5, .unit = "W", .help = "all the server's CPU sockets, idle"},
       {.name = "cpu_busy_w", .lo = 0.0, .hi = 1e5, .unit = "W", .help = "all the server's CPU sockets, every core busy",
        .also = "at least `cpu_idle_w`"},
       {.name = "gpu_idle_w", .required = false, .lo = 0.0, .hi = 1e5, .unit = "W", .help = "per GPU, idle",
        .when = "required with GPUs, refused without"},
       {.name = "gpu_busy_w", .required = false, .lo = 0.0, .hi = 1e5, .unit = "W", .help = "per GPU, busy",
        .when = "required with GPUs, refused without", .also = "at least `gpu_idle_w`"},
       {.name = "other_w", .required = false, .lo = 0.0, .hi = 1e5, .fallback = 0.0, .unit = "W",
        .help = "the rest of the box, constant"},
       {.type = Type::string, .name = "source",
        .help = "where the figures come from (datasheet, measurement, or that they are assumed); reported in the results",
        .also = "non-empty"}}};
  return s;
}


const KeySection& group_keys() {
  static const KeySection s{
      "server_group",
      "A group of identical servers (server_groups.N)",
      {{.type = Type::string, .name = "name", .help = "servers are named `NAME-0`, `NAME-1`, ...; named by `models.N.groups`",
        .also = "non-empty, unique"},
       {.type = Type::string, .name = "kind", .help = "the group's kind", .also = "a `server_kinds` name"},
       {.type = Type::integer, .name = "count", .required = false, .lo = 1, .hi = static_cast<double>(kMaxServers), .fallback = 1,
        .help = "servers in the group; with a network, the group fills `servers_per_rack` racks of its own"}}};
  return s;
}

const KeySection& model_keys() {
  static const KeySection s{
      "model",
      "A model the fleet serves (models.N): its share of the arrivals, sizes, SLA, placement, service and scheduling",
      {{.type = Type::string, .name = "name", .help = "names the model in the results", .also = "non-empty, unique"},
       {.name = "share", .required = false, .lo = 0.0, .hi = 1e12, .lo_open = true, .fallback = 1.0,
        .help = "its share of the arrivals, normalised over the models; each arrival's model is drawn by share (its own random "
                "stream)"},
       {.type = Type::object, .name = "query_size", .required = false, .help = "the model's query sizes",
        .when = "required (refused with a trace)", .also = "as `workload.query_size` in format 1", .section = "query_size"},
       {.type = Type::object, .name = "sla", .help = "the model's own SLA; the fleet meets its SLAs only if every model does",
        .also = "as in format 1", .section = "sla"},
       {.type = Type::array, .name = "groups", .required = false,
        .help = "placement: only these groups' servers serve the model", .when = "every group",
        .also = "at least one; group names, no repeats", .items = "string"},
       {.type = Type::object, .name = "service",
        .help = "the model's service; for `\"type\": \"model\"`, `model` names the model in the kinds' profiles, which give its "
                "times on each kind",
        .also = "as `service` in format 1, without `profile` and `gpu_profile` (the kinds'), its `embedding_cache` sized by `gpu_memory_share` instead of `fraction`, without Redis, and kept only on kinds with GPUs", .section = "service_v2"},
       {.type = Type::object, .name = "scheduler", .help = "the scheduling policy on every kind hosting the model",
        .also = "as `scheduler` in format 1, without `server_selection`; not `deeprecsched-online`", .section = "scheduler"},
       {.type = Type::object, .name = "scheduler_by_kind", .required = false,
        .help = "the policy on those kinds instead (e.g. offload only on the GPU kind); an offloading policy on a kind without "
                "GPUs is an error naming the key to change",
        .also = "keys: kind names hosting the model; values: as `scheduler`", .section = "scheduler_by_kind"}}};
  return s;
}

const KeySection& balancer_keys() {
  static const KeySection s{
      "balancer",
      "The balancer: which server gets each query, among the servers hosting its model",
      {{.type = Type::choice, .name = "policy", .required = false, .fallback = "least_loaded", .choices = balancer_names(),
        .help = "which server gets each query, among the servers hosting its model (one balancer per model, so every policy is "
                "model-aware); `weighted_round_robin` sends each server a share proportional to its capacity for the model: cores "
                "/ (the requests of a query of the model's mean size × their mean time on that kind) — CPU capacity only"}}};
  return s;
}

const KeySection& network_keys() {
  static const KeySection s{
      "network",
      "The rack network queries and responses cross",
      {{.type = Type::integer, .name = "servers_per_rack", .required = false, .lo = 1, .hi = static_cast<double>(kMaxServers),
        .fallback = 40, .unit = "servers", .help = "rack size; each group starts a new rack"},
       {.type = Type::object, .name = "server_link",
        .help = "each server's full-duplex NIC link to its rack switch (3.125 GB/s is 25 Gb/s)", .section = "link"},
       {.type = Type::object, .name = "rack_uplink", .help = "each rack switch's link to the spine, shared by its servers' traffic",
        .section = "link"},
       {.type = Type::object, .name = "frontend_link", .required = false,
        .help = "the frontend's link to the spine, shared by every query; absent: the frontend tier (many machines in a real "
                "datacenter) is not a bottleneck",
        .when = "absent", .section = "link"},
       {.type = Type::object, .name = "request_bytes",
        .help = "a query's request: base + per item × its size (user features and candidate ids)", .section = "bytes"},
       {.type = Type::choice, .name = "model", .required = false, .fallback = "flow", .choices = {"flow", "simgrid"},
        .help = "how messages cross: `flow`, recsim's flow-level network (each message waits its route's latency, then its bytes "
                "share every link max-min fairly, as SimGrid's CM02 model computes it, at O(links) per message while no link is "
                "shared beyond its bandwidth: sim/engine/flow_network.h), or `simgrid`, each message a SimGrid communication "
                "(the reference; O(messages in flight) per message in SimGrid 3.32). The same times within SimGrid's own "
                "precision: on the shipped scenarios latencies within 1e-5, the network's 25 us within 2e-4 "
                "(tests/unit/test_datacenter.cpp)"},
       {.type = Type::object, .name = "response_bytes", .help = "its response (scores): base + per item × its size",
        .section = "bytes"}}};
  return s;
}

const KeySection& bytes_keys() {
  static const KeySection s{
      "bytes",
      "A message's size: base + per item × the query's size",
      {{.name = "base", .required = false, .lo = 0.0, .hi = 1e12, .fallback = 0.0, .unit = "bytes",
        .help = "bytes of the message at any size"},
       {.name = "per_item", .required = false, .lo = 0.0, .hi = 1e9, .fallback = 0.0, .unit = "bytes",
        .help = "bytes more per item of the query"}}};
  return s;
}

void check_name(const std::string& name, const std::string& where) {
  if (name.empty()) throw InputError(where, "expected a non-empty name");
}

// A link: { "gb_per_s": bandwidth per direction, "latency_us": latency }.
void parse_link(JsonReader link, double& bytes_per_s, double& latency_s) {
  const KeySection& keys = link_keys();
  bytes_per_s = read_number(link, keys.key("gb_per_s")) * 1e9;
  latency_s = read_number(link, keys.key("latency_us")) * 1e-6;
  link.finish();
}

struct KindText {  // a kind's profile paths as written (resolved by parse_service)
  std::string cpu_profile, gpu_profile;
};

ServerKind parse_kind(JsonReader k, const std::string& base_dir, KindText& text) {
  const KeySection& keys = kind_keys();
  ServerKind kind;
  kind.name = read_string(k, keys.key("name"));
  check_name(kind.name, k.child_path("name"));
  kind.cpu_cores = static_cast<int>(read_integer(k, keys.key("cpu_cores")));
  kind.gpus = static_cast<int>(read_integer(k, keys.key("gpus")));
  if (k.has("cpu_profile")) {
    text.cpu_profile = read_string(k, keys.key("cpu_profile"));
    kind.cpu_profile = (std::filesystem::path(base_dir) / text.cpu_profile).lexically_normal().string();
    if (std::filesystem::path(text.cpu_profile).is_absolute()) kind.cpu_profile = text.cpu_profile;
  }
  if (kind.gpus > 0) {
    parse_link(read_object(k, keys.key("pcie")), kind.pcie_bytes_per_s, kind.pcie_latency_s);
    if (k.has("embedding_cache_gib")) kind.embedding_cache_bytes = read_number(k, keys.key("embedding_cache_gib")) * 1024.0 * 1024 * 1024;
    if (k.has("gpu_profile")) {
      text.gpu_profile = read_string(k, keys.key("gpu_profile"));
      kind.gpu_profile = std::filesystem::path(text.gpu_profile).is_absolute()
                             ? text.gpu_profile
                             : (std::filesystem::path(base_dir) / text.gpu_profile).lexically_normal().string();
    }
  } else {
    for (const char* key : {"pcie", "gpu_profile", "embedding_cache_gib"})
      if (k.has(key)) throw InputError(k.child_path(key), "a server kind without GPUs has none: set \"gpus\" >= 1 or remove it");
  }
  if (k.has("power")) {
    JsonReader p = read_object(k, keys.key("power"));
    const KeySection& power_key = power_keys();
    PowerSpec power;
    power.cpu_idle_w = read_number(p, power_key.key("cpu_idle_w"));
    power.cpu_busy_w = read_number(p, power_key.key("cpu_busy_w"));
    if (power.cpu_busy_w < power.cpu_idle_w)
      throw InputError(p.child_path("cpu_busy_w"), "expected at least cpu_idle_w (" + std::to_string(power.cpu_idle_w) + ")");
    if (kind.gpus > 0) {
      power.gpu_idle_w = read_number(p, power_key.key("gpu_idle_w"));
      power.gpu_busy_w = read_number(p, power_key.key("gpu_busy_w"));
      if (power.gpu_busy_w < power.gpu_idle_w)
        throw InputError(p.child_path("gpu_busy_w"), "expected at least gpu_idle_w (" + std::to_string(power.gpu_idle_w) + ")");
    } else {
      for (const char* key : {"gpu_idle_w", "gpu_busy_w"})
        if (p.has(key)) throw InputError(p.child_path(key), "the kind has no GPUs");
    }
    power.other_w = read_number(p, power_key.key("other_w"));
    power.source = read_string(p, power_key.key("source"));
    check_name(power.source, p.child_path("source"));
    p.finish();
    kind.power = power;
  }
  if (k.has("cost_per_hour")) kind.cost_per_hour = read_number(k, keys.key("cost_per_hour"));
  k.finish();
  return kind;
}

// A model's cache on one kind: its gpu_memory_share of each GPU's cache memory, as the same fraction
// of every table's rows (at most all of them); its random streams apart from the other models'.
void size_cache(EmbeddingCacheSpec& cache, const ServerKind& kind, const std::string& kind_path, const std::string& model,
                std::size_t model_index, const std::string& service_path) {
  if (!kind.embedding_cache_bytes)
    throw InputError(kind_path + ".embedding_cache_gib", "required: model \"" + model + "\" keeps an embedding cache on this kind's GPUs");
  double table_bytes = 0.0;
  for (const auto& t : cache.tables) table_bytes += static_cast<double>(t.rows) * t.dim * 4.0;
  cache.fraction = std::min(1.0, cache.gpu_memory_share * *kind.embedding_cache_bytes / table_bytes);
  if (cache.tables.size() > kStreamsPerModel)
    throw InputError(service_path + ".embedding_cache", "a cached model has at most " + std::to_string(kStreamsPerModel) + " tables");
  cache.stream_base = static_cast<std::uint32_t>(model_index * kStreamsPerModel);
}

// On each server group, the shares of its GPUs' cache memory of the models placed there sum to at
// most 1, and their persistent tiers are on one SSD per server: the same read and write bandwidths.
void check_cache_shares(const Fleet& fleet) {
  for (std::size_t g = 0; g < fleet.groups.size(); ++g) {
    double sum = 0.0;
    const PersistentTierSpec* ssd = nullptr;
    const std::string& kind = fleet.kinds[static_cast<std::size_t>(fleet.groups[g].kind)].name;
    for (std::size_t m = 0; m < fleet.models.size(); ++m)
      if (const EmbeddingCacheSpec* cache = fleet.embedding_cache_on_group(m, g)) {
        if (cache->persistent) {
          if (ssd && (ssd->read_bytes_per_s != cache->persistent->read_bytes_per_s ||
                      ssd->write_bytes_per_s != cache->persistent->write_bytes_per_s))
            throw InputError("models." + std::to_string(m) + ".service.embedding_cache.persistent",
                             "the models' persistent tiers on server group \"" + fleet.groups[g].name +
                                 "\" share each server's SSD: give them the same read_gb_per_s and write_gb_per_s");
          ssd = &*cache->persistent;
        }
        sum += cache->gpu_memory_share;
        if (sum > 1.0 + 1e-9) {
          char text[240];
          std::snprintf(text, sizeof text,
                        "the shares of server kind \"%s\"'s cache memory on group \"%s\" reach %.6g with this model's, more than 1",
                        kind.c_str(), fleet.groups[g].name.c_str(), sum);
          throw InputError("models." + std::to_string(m) + ".service.embedding_cache.gpu_memory_share", text);
        }
      }
  }
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
  if (copy.is_object() && copy.contains("embedding_cache")) {
    if (text.gpu_profile.empty()) {
      // The cache serves offloaded queries: a kind without GPUs (or a GPU profile) keeps none.
      copy.erase("embedding_cache");
      copy.erase("table_rows");
    } else if (const auto& cache = copy["embedding_cache"]; cache.is_object()) {
      const std::string at = where + ".embedding_cache";
      if (cache.contains("fraction"))
        throw InputError(at + ".fraction", "in format 2 a model's cache is sized by gpu_memory_share of its kind's embedding_cache_gib");
      if (!cache.contains("gpu_memory_share")) throw InputError(at + ".gpu_memory_share", "required in format 2");
      if (cache.contains("volatile_tier") && cache["volatile_tier"] == "redis")
        throw InputError(at + ".volatile_tier", "Redis is simulated in format-1 scenarios only (one cluster for one model): use \"host_hash_map\"");
    }
  }
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

const KeySection& link_keys() {
  static const KeySection s{
      "link",
      "A link (a GPU's PCIe link, or a network link): its bandwidth and latency",
      {{.name = "gb_per_s", .lo = 1e-3, .hi = 1e6, .unit = "GB/s", .help = "bandwidth, per direction"},
       {.name = "latency_us", .lo = 0.0, .hi = 1e6, .unit = "µs", .help = "latency"}}};
  return s;
}


Scenario parse_datacenter_scenario(const nlohmann::json& document, const std::string& base_dir) {
  Scenario s;
  s.format = 2;
  const KeySection& top_key = top_keys();
  JsonReader top(document, "");
  read_integer(top, top_key.key("format"));
  s.name = read_string(top, top_key.key("name"));
  read_string(top, top_key.key("description"));
  s.seed = static_cast<std::uint64_t>(read_integer(top, top_key.key("seed")));

  // Server kinds.
  const auto& kinds = read_array(top, top_key.key("server_kinds"));
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
  const auto& groups = read_array(top, top_key.key("server_groups"));
  const KeySection& group_key = group_keys();
  if (groups.empty()) throw InputError("server_groups", "expected at least one server group");
  if (groups.size() > kMaxGroups) throw InputError("server_groups", "expected at most " + std::to_string(kMaxGroups) + " server groups");
  std::map<std::string, int> group_index;
  std::int64_t total = 0;
  std::vector<bool> kind_used(s.fleet.kinds.size(), false);
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const std::string where = "server_groups." + std::to_string(i);
    JsonReader g(groups[i], where);
    ServerGroup group;
    group.name = read_string(g, group_key.key("name"));
    check_name(group.name, g.child_path("name"));
    const std::string kind = read_string(g, group_key.key("kind"));
    const auto k = kind_index.find(kind);
    if (k == kind_index.end()) throw InputError(g.child_path("kind"), "no server kind is named \"" + printable(kind, 80) + "\"");
    group.kind = k->second;
    kind_used[static_cast<std::size_t>(k->second)] = true;
    group.count = static_cast<int>(read_integer(g, group_key.key("count")));
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
  JsonReader workload = read_object(top, top_key.key("workload"));
  parse_arrival(read_object(workload, workload_keys().key("arrival")), base_dir, s.arrival);
  workload.finish();
  const bool trace = s.arrival.from_trace();

  // Models.
  const auto& models = read_array(top, top_key.key("models"));
  const KeySection& model_key = model_keys();
  if (models.empty()) throw InputError("models", "expected at least one model");
  if (models.size() > kMaxModels) throw InputError("models", "expected at most " + std::to_string(kMaxModels) + " models");
  std::size_t pairs = 0;
  ProfileCache profiles;
  std::set<std::string> model_names;
  // Per model, per kind hosting it: the scheduler object giving its deployment (for errors).
  std::vector<std::vector<std::string>> scheduler_paths(models.size(), std::vector<std::string>(s.fleet.kinds.size()));
  for (std::size_t i = 0; i < models.size(); ++i) {
    const std::string where = "models." + std::to_string(i);
    JsonReader m(models[i], where);
    FleetModel d;
    d.name = read_string(m, model_key.key("name"));
    check_name(d.name, m.child_path("name"));
    if (!model_names.insert(d.name).second) throw InputError(where + ".name", "model name \"" + d.name + "\" is used twice");
    d.share = read_number(m, model_key.key("share"));
    if (trace) {
      if (m.has("query_size"))
        throw InputError(m.child_path("query_size"), "must be absent with \"process\": \"trace\" (sizes come from the trace file)");
      d.query_size = QuerySizeSpec{};  // from the trace
    } else {
      d.query_size = parse_query_size(read_object(m, model_key.key("query_size")), base_dir);
    }
    d.sla = parse_sla(read_object(m, model_key.key("sla")));
    // Placement: the groups serving it (default: all).
    if (m.has("groups")) {
      const auto& list = read_array(m, model_key.key("groups"));
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
    const nlohmann::json& service = m.value(model_key.key("service").name);
    const std::string service_path = m.child_path("service");
    if (!service.is_object()) throw InputError(service_path, "expected an object, got " + json_type_name(service));
    const SchedulerSpec default_scheduler = parse_scheduler(read_object(m, model_key.key("scheduler")));
    std::map<std::string, SchedulerSpec> by_kind;
    if (m.has("scheduler_by_kind")) {
      JsonReader per = read_object(m, model_key.key("scheduler_by_kind"));
      const auto& object = m.value(model_key.key("scheduler_by_kind").name);
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
      ServiceSpec on_kind = service_on_kind(service, service_path, s.fleet.kinds[k], texts[k], kind_path, base_dir, profiles);
      if (on_kind.embedding_cache) size_cache(*on_kind.embedding_cache, s.fleet.kinds[k], kind_path, d.name, i, service_path);
      d.service[k] = std::make_shared<const ServiceSpec>(std::move(on_kind));
      const SchedulerSpec& sched = d.scheduler[k];
      const SchedulerPolicy& policy = scheduler_policy(sched.policy);
      const std::string sched_path = by_kind.count(s.fleet.kinds[k].name) ? where + ".scheduler_by_kind." + s.fleet.kinds[k].name
                                                                     : where + ".scheduler";
      const std::string sched_where = sched_path + ".policy";
      check_deployment(sched, d.service[k].get(), s.fleet.kinds[k], sched_path);
      scheduler_paths[i][k] = sched_path;
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
    if (service.is_object() && service.contains("embedding_cache")) {
      bool kept = false;
      for (const auto& svc : d.service) kept = kept || (svc && svc->embedding_cache);
      if (!kept)
        throw InputError(service_path + ".embedding_cache", "no server kind hosting model \"" + d.name +
                                                                "\" has GPUs and a gpu_profile: the cache serves offloaded queries");
    }
    m.finish();
    s.fleet.models.push_back(std::move(d));
  }
  check_cache_shares(s.fleet);
  check_deployments_fit(s.fleet, [&](std::size_t m, std::size_t k) { return scheduler_paths[m][k]; });

  if (top.has("balancer")) {
    JsonReader b = read_object(top, top_key.key("balancer"));
    s.fleet.balancer = read_choice(b, balancer_keys().key("policy"));
    b.finish();
  }

  if (top.has("network")) {
    JsonReader n = read_object(top, top_key.key("network"));
    const KeySection& network_key = network_keys();
    NetworkSpec& net = s.fleet.network;
    net.enabled = true;
    net.servers_per_rack = static_cast<int>(read_integer(n, network_key.key("servers_per_rack")));
    net.flow_model = read_choice(n, network_key.key("model")) == "flow";
    parse_link(read_object(n, network_key.key("server_link")), net.nic_bytes_per_s, net.nic_latency_s);
    parse_link(read_object(n, network_key.key("rack_uplink")), net.uplink_bytes_per_s, net.uplink_latency_s);
    if (n.has("frontend_link")) {
      net.frontend_link = true;
      parse_link(read_object(n, network_key.key("frontend_link")), net.frontend_bytes_per_s, net.frontend_latency_s);
    }
    for (const char* key : {"request_bytes", "response_bytes"}) {
      JsonReader bytes = read_object(n, network_key.key(key));
      const double base = read_number(bytes, bytes_keys().key("base"));
      const double per_item = read_number(bytes, bytes_keys().key("per_item"));
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

  if (top.has("failures")) s.fleet.failures = parse_failures(read_object(top, failures_key()), s.fleet);
  if (top.has("autoscaling")) s.fleet.autoscaling = parse_autoscaling(read_object(top, autoscaling_key()), s.fleet);

  double share_total = 0.0;
  for (const auto& m : s.fleet.models) share_total += m.share;
  for (auto& m : s.fleet.models) m.share /= share_total;

  JsonReader run = read_object(top, top_key.key("run"));
  parse_run(run, s);
  if (s.fleet.embedding_cache()) check_embedding_cache(s);  // needs each model's largest query
  run.finish();
  top.finish();
  return s;
}

const std::vector<KeySection>& datacenter_key_sections() {
  static const std::vector<KeySection> sections{top_keys(),  workload_keys(), kind_keys(),     power_keys(),   link_keys(),
                                                group_keys(), model_keys(),    balancer_keys(), network_keys(), bytes_keys()};
  return sections;
}

}  // namespace recsim
