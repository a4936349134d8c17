#include "sim/scenario/scenario_parser.h"

#include "sim/scenario/deployment_check.h"

#include "sim/provenance/file_memo.h"

#include "sim/failures/failure_parser.h"
#include "sim/scaling/autoscaling_parser.h"

#include "sim/scenario/scenario_sections.h"

#include "kernels/profiles/latency_profile.h"
#include "sim/balancing/balancer.h"
#include "sim/scenario/arrival_registry.h"
#include "sim/scenario/datacenter_keys.h"
#include "sim/scenario/embedding_cache_parser.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/query_size_registry.h"
#include "sim/scenario/scenario_keys.h"
#include "sim/scenario/service_registry.h"
#include "sim/scheduling/scheduler_policy.h"
#include "sim/scheduling/tune_config.h"
#include "workloads/json_reader.h"
#include "workloads/strict_json.h"
#include "workloads/key_trace.h"
#include "workloads/input_error.h"
#include "workloads/query_size_distribution.h"
#include "workloads/size_table_file.h"
#include "workloads/trace_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <set>

namespace recsim {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::int64_t kMaxCount = 1'000'000'000'000;  // 1e12: far beyond any run, below overflow

std::string resolve(const std::string& base_dir, const std::string& file) {
  std::filesystem::path p(file);
  if (p.is_relative()) p = std::filesystem::path(base_dir) / p;
  return p.lexically_normal().string();
}

void require_file(const std::string& json_path, const std::string& resolved) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(resolved, ec))
    throw InputError(json_path, "file \"" + resolved + "\" does not exist or is not a regular file");
}


}  // namespace

namespace {

using T = KeyDecl::Type;

const KeySection& v1_top_keys() {
  static const KeySection s{
      "scenario_v1",
      "A format-1 scenario: server groups serving one model",
      {{.type = T::integer, .name = "format", .required = false, .lo = 1, .hi = 1, .fallback = 1,
        .help = "the format: absent or 1 for the keys of this table, 2 for a datacenter (below)"},
       {.type = T::string, .name = "name", .help = "names the scenario in results", .also = "non-empty"},
       {.type = T::string, .name = "description", .required = false, .fallback = "", .help = "free text for people; ignored by the simulator", .when = "none", .also = "non-empty"},
       {.type = T::integer, .name = "seed", .required = false, .lo = 0, .hi = kInf, .fallback = 1, .help = "seeds every random stream (see *Randomness*)"},
       {.type = T::object, .name = "platform", .help = "the simulated hardware", .section = "platform"},
       {.type = T::object, .name = "workload", .help = "arrivals and query sizes", .section = "workload"},
       {.type = T::object, .name = "service", .help = "service time of one request on one core", .section = "service"},
       {.type = T::object, .name = "scheduler", .help = "how queries become requests and which server gets them", .section = "scheduler_v1"},
       {.type = T::object, .name = "sla", .help = "the tail-latency target", .section = "sla"},
       {.type = T::object, .name = "run", .help = "run length and warm-up", .section = "run"},
       failures_key(),
       autoscaling_key()}};
  return s;
}

const KeySection& platform_keys() {
  static const KeySection s{"platform", "the simulated hardware",
                            {{.type = T::array, .name = "servers", .help = "server groups", .also = "at least one",
                              .section = "server", .items = "object"}}};
  return s;
}

constexpr std::int64_t kMaxServers = 100000;

const KeySection& server_keys() {
  static const KeySection s{
      "server",
      "a group of identical servers",
      {{.type = T::string, .name = "name", .required = false, .help = "servers are named `NAME-0`, `NAME-1`, ...",
        .when = "`\"server\"` with one group, else `\"groupN\"`", .also = "non-empty, unique"},
       {.type = T::integer, .name = "count", .required = false, .lo = 1, .hi = kMaxServers, .fallback = 1, .unit = "servers",
        .help = "identical servers in the group", .also = "at most 100,000 servers over all groups"},
       {.type = T::integer, .name = "cpu_cores", .lo = 1, .hi = 4096, .unit = "cores", .help = "cores per server; each serves one request at a time"},
       {.type = T::integer, .name = "gpus", .required = false, .lo = 0, .hi = 64, .fallback = 0, .unit = "GPUs", .help = "GPUs per server, each on its own PCIe link"},
       {.type = T::object, .name = "pcie", .required = false, .help = "the PCIe link of each GPU",
        .when = "required when `gpus` >= 1, refused otherwise", .section = "link"}}};
  return s;
}

const KeySection& workload_keys() {
  static const KeySection s{"workload", "arrivals and query sizes",
                            {{.type = T::object, .name = "arrival", .help = "how queries arrive", .section = "arrival"},
                             {.type = T::object, .name = "query_size", .required = false, .help = "the number of items a query asks to rank",
                              .when = "required; absent with a trace", .section = "query_size"}}};
  return s;
}

const KeySection& sla_keys() {
  static const KeySection s{"sla", "the tail-latency target",
                            {{.name = "percentile", .lo = 0.0, .hi = 100.0, .lo_open = true, .hi_open = true, .unit = "%", .help = "the latency percentile the target applies to (DeepRecSys uses 95)"},
                             {.name = "target_ms", .lo = 0.0, .hi = 1e12, .lo_open = true, .unit = "ms", .help = "the target: met when that percentile of query latency is <= target and the run did not saturate"}}};
  return s;
}

const KeySection& run_keys() {
  static const KeySection s{
      "run",
      "run length and warm-up",
      {{.type = T::integer, .name = "queries", .required = false, .lo = 1, .hi = kMaxCount, .unit = "queries", .help = "queries to generate",
        .when = "required (trace: the trace's length)", .also = "a trace: at most its length"},
       {.type = T::integer, .name = "warmup_queries", .required = false, .lo = 0, .hi = kMaxCount, .fallback = 0, .unit = "queries",
        .help = "the first queries (in arrival order) are excluded from every statistic", .also = "< `run.queries`"},
       {.type = T::integer, .name = "max_in_flight", .required = false, .lo = 1, .hi = 100'000'000, .unit = "queries",
        .help = "saturation bound: when a query arrives and this many are already in the system, the run stops and reports `saturated: true`",
        .when = "100,000 or 64 per CPU core and GPU of the fleet, whichever is more (a core's queue averages 64 only at 98.5% load)"},
       {.name = "window_s", .required = false, .lo = 0.0, .hi = 1e9, .lo_open = true, .unit = "s",
        .help = "results over time: the run's virtual time cut into windows of this length, each reported with its arrivals, completions, latency percentiles, SLA verdict, utilisation, power and servers up (results' `time_series`, `recsim run --series FILE` as CSV); absent: no time series",
        .also = "at most 10,000,000 windows over the run"}}};
  return s;
}


}  // namespace

const KeyDecl& server_selection_key() {
  static const KeyDecl k{.type = T::choice, .name = "server_selection", .required = false, .fallback = "least_loaded", .choices = balancer_names(),
                         .help = "which server a query goes to (its requests, or whole to that server's GPU): `least_loaded` the fewest queued-or-running requests per core (join the shortest queue; ties rotate; O(log N) through a segment tree of loads), `round_robin` strict rotation, `random` a server drawn uniformly (its own random stream), `power_of_two` the less loaded per core of two distinct servers drawn uniformly, `weighted_round_robin` (format 2's weights; in format 1 by cores over the request time, i.e. round robin over identical servers). Tested against queueing results (tests/unit/test_balancers.cpp): random routing of 50 one-core servers at 80% load gives M/M/1's 5 ms mean, power of two 1.97 ms against the supermarket limit's 1.95 ms, least loaded less"};
  return k;
}

const std::vector<KeySection>& scenario_key_sections() {
  static const std::vector<KeySection> sections = {v1_top_keys(), platform_keys(), server_keys(), workload_keys(), sla_keys(), run_keys()};
  return sections;
}

namespace {

std::vector<ServerGroup> parse_platform(JsonReader platform) {
  std::vector<ServerGroup> groups;
  const auto& servers = platform.array(platform_keys().key("servers").name);
  const std::string servers_path = platform.child_path("servers");
  if (servers.empty()) throw InputError(servers_path, "expected at least one server group");
  std::set<std::string> names;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    JsonReader g(servers[i], servers_path + "." + std::to_string(i));
    ServerGroup group;
    const KeySection& k = server_keys();
    group.name = g.string_or(k.key("name").name, servers.size() == 1 ? "server" : "group" + std::to_string(i));
    group.count = static_cast<int>(read_integer(g, k.key("count")));
    group.cpu_cores = static_cast<int>(read_integer(g, k.key("cpu_cores")));
    group.gpus = static_cast<int>(read_integer(g, k.key("gpus")));
    if (group.gpus > 0) {
      JsonReader pcie = g.object("pcie");
      const KeySection& link = link_keys();
      group.pcie_bytes_per_s = read_number(pcie, link.key("gb_per_s")) * 1e9;
      group.pcie_latency_s = read_number(pcie, link.key("latency_us")) * 1e-6;
      pcie.finish();
    } else if (g.has("pcie")) {
      throw InputError(g.child_path("pcie"), "a PCIe link needs GPUs: set \"gpus\" >= 1 or remove \"pcie\"");
    }
    g.finish();
    if (!names.insert(group.name).second)
      throw InputError(g.child_path("name"), "server group name \"" + group.name + "\" is used twice");
    total += group.count;
    if (total > kMaxServers)
      throw InputError(g.child_path("count"), "the platform would have more than " + std::to_string(kMaxServers) + " servers in all");
    groups.push_back(group);
  }
  platform.finish();
  return groups;
}

}  // namespace

void parse_arrival(JsonReader arrival, const std::string& base_dir, ArrivalSpec& a) {
  const ArrivalKind& kind = arrival_kind(arrival.choice("process", arrival_names()));
  a = ArrivalSpec{};
  a.process = kind.keys.value;
  kind.parse(arrival, kind.keys, base_dir, a);
  arrival.finish();
}

QuerySizeSpec parse_query_size(JsonReader size, const std::string& base_dir) {
  const QuerySizeKind& kind = query_size_kind(size.choice("distribution", query_size_names()));
  QuerySizeSpec q = kind.parse(size, kind.keys, base_dir);
  size.finish();
  return q;
}

std::string read_input_file(JsonReader& r, const std::string& key, const std::string& base_dir) {
  const std::string resolved = resolve(base_dir, r.string(key));
  require_file(r.child_path(key), resolved);
  return resolved;
}

namespace {

QuerySizeSpec parse_workload(JsonReader workload, const std::string& base_dir, ArrivalSpec& arrival) {
  parse_arrival(workload.object("arrival"), base_dir, arrival);
  QuerySizeSpec sizes;
  if (arrival.from_trace()) {
    if (workload.has("query_size"))
      throw InputError(workload.child_path("query_size"),
                       "must be absent with \"process\": \"trace\" (sizes come from the trace file)");
    sizes = QuerySizeSpec{};  // from the trace
  } else {
    sizes = parse_query_size(workload.object("query_size"), base_dir);
  }
  workload.finish();
  return sizes;
}

}  // namespace

const ProfileCache::Loaded& ProfileCache::entry(const std::string& path) {
  // Parsed once per process while the file is unchanged (a sweep's points share their profiles).
  static FileMemo<std::shared_ptr<const Loaded>> parsed;
  auto it = profiles_.find(path);
  if (it == profiles_.end())
    it = profiles_.emplace(path, parsed.get(path, [](const std::string& file) {
                     auto loaded = std::make_shared<Loaded>();
                     loaded->profile = load_latency_profile(file);
                     return std::shared_ptr<const Loaded>(std::move(loaded));
                   })).first;
  return *it->second;
}

const LatencyProfile& ProfileCache::load(const std::string& path) { return entry(path).profile; }

ServiceSpec parse_service(JsonReader service, const std::string& base_dir, ProfileCache* profiles) {
  ProfileCache own;
  const ServiceKind& kind = service_kind(service.choice("type", service_names()));
  ServiceSpec spec = kind.parse(service, kind.keys, base_dir, profiles ? *profiles : own);
  service.finish();
  return spec;
}

SchedulerSpec parse_scheduler(JsonReader scheduler, std::string* server_selection) {
  SchedulerSpec spec;
  spec.policy = scheduler.choice("policy", scheduler_names());
  scheduler_policy(spec.policy).parse(scheduler, spec);
  parse_deployment(scheduler, spec);
  if (server_selection) *server_selection = read_choice(scheduler, server_selection_key());
  scheduler.finish();
  return spec;
}

namespace {

// Format 1 translated into the fleet: each server group its own kind, one model served on every
// server (named for its profile's model, else for the scenario), the scheduler's server_selection the
// fleet's balancer.
Fleet v1_fleet(const std::string& scenario_name, const std::vector<ServerGroup>& groups, const QuerySizeSpec& sizes,
               const ServiceSpec& service, const SchedulerSpec& scheduler, const SlaSpec& sla, const std::string& balancer) {
  Fleet f;
  f.balancer = balancer;
  FleetModel model;
  model.name = service.type == "model" ? service.model : scenario_name;
  model.query_size = sizes;
  model.sla = sla;
  const auto shared = std::make_shared<const ServiceSpec>(service);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    ServerKind kind;
    kind.name = groups[g].name;
    kind.cpu_cores = groups[g].cpu_cores;
    kind.gpus = groups[g].gpus;
    kind.pcie_bytes_per_s = groups[g].pcie_bytes_per_s;
    kind.pcie_latency_s = groups[g].pcie_latency_s;
    f.kinds.push_back(kind);
    f.groups.push_back(groups[g]);
    f.groups.back().kind = static_cast<int>(g);
    model.service.push_back(shared);
    model.scheduler.push_back(scheduler);
    model.groups.push_back(static_cast<int>(g));
  }
  f.models.push_back(std::move(model));
  return f;
}

}  // namespace

SlaSpec parse_sla(JsonReader sla) {
  SlaSpec out;
  out.percentile = read_number(sla, sla_keys().key("percentile"));
  out.target_ms = read_number(sla, sla_keys().key("target_ms"));
  sla.finish();
  return out;
}

void parse_run(JsonReader& run, Scenario& s) {
  if (s.arrival.from_trace()) {
    int trace_max = 0;
    double trace_mean = 0.0;
    const auto rows = validate_trace(s.arrival.trace_file, &trace_max, &trace_mean, &s.arrival.trace_span_s);
    for (auto& m : s.fleet.models) {  // every model's sizes come from the trace
      m.query_size.max = trace_max;
      m.query_size.trace_mean = trace_mean;
    }
    ArrivalSpec& a = s.arrival;
    a.trace_rows = static_cast<std::uint64_t>(rows);
    a.trace_recorded_qps = a.trace_span_s > 0.0 ? static_cast<double>(rows) / a.trace_span_s : 0.0;
    if (a.trace_rate_given && a.trace_recorded_qps == 0.0)
      throw InputError("workload.arrival.qps", "the trace's arrivals all come at time 0: it has no rate to scale");
    if (!a.trace_rate_given) a.qps = a.trace_recorded_qps;
    KeyDecl queries = run_keys().key("queries");
    queries.fallback = static_cast<std::int64_t>(rows);
    s.run.queries = static_cast<std::uint64_t>(read_integer(run, queries));
    if (s.run.queries > rows)
      throw InputError(run.child_path("queries"), "the trace has only " + std::to_string(rows) + " queries, fewer than " +
                                                      std::to_string(s.run.queries));
  } else {
    KeyDecl queries = run_keys().key("queries");
    queries.required = true;
    s.run.queries = static_cast<std::uint64_t>(read_integer(run, queries));
  }
  s.run.warmup_queries = static_cast<std::uint64_t>(read_integer(run, run_keys().key("warmup_queries")));
  if (s.run.warmup_queries >= s.run.queries)
    throw InputError(run.child_path("warmup_queries"),
                     "expected fewer warm-up queries than run.queries (" + std::to_string(s.run.queries) + ")");
  if (run.has("max_in_flight")) s.run.max_in_flight = static_cast<std::uint64_t>(read_integer(run, run_keys().key("max_in_flight")));
  if (run.has("window_s")) s.run.window_s = read_number(run, run_keys().key("window_s"));
}

Scenario parse_scenario(const nlohmann::json& document, const std::string& base_dir) {
  if (document.is_object() && document.contains("format")) {
    const auto& f = document.at("format");
    if (!f.is_number_integer() || (f.get<std::int64_t>() != 1 && f.get<std::int64_t>() != 2))
      throw InputError("format", "expected 1 or 2, got " + printable(f.dump(), 40));
    if (f.get<std::int64_t>() == 2) return parse_datacenter_scenario(document, base_dir);
  }
  Scenario s;
  JsonReader top(document, "");
  const KeySection& keys = v1_top_keys();
  read_integer(top, keys.key("format"));
  s.name = read_string(top, keys.key("name"));
  read_string(top, keys.key("description"));
  s.seed = static_cast<std::uint64_t>(read_integer(top, keys.key("seed")));
  const std::vector<ServerGroup> groups = parse_platform(top.object("platform"));
  int gpus = 0;
  for (const auto& g : groups) gpus += g.count * g.gpus;
  const QuerySizeSpec sizes = parse_workload(top.object("workload"), base_dir, s.arrival);
  const ServiceSpec service = parse_service(top.object("service"), base_dir);
  if (service.embedding_cache && service.embedding_cache->gpu_memory_share > 0.0)
    throw InputError("service.embedding_cache.gpu_memory_share",
                     "format 2 only (a fleet's models share each GPU's cache memory): give \"fraction\", the share of each table's rows");
  SchedulerSpec scheduler = parse_scheduler(top.object("scheduler"), &s.fleet.balancer);
  if (scheduler_policy(scheduler.policy).offloads) {
    if (gpus == 0)
      throw InputError("scheduler.policy", "\"" + scheduler.policy + "\" offloads queries to GPUs, but no server has any (platform.servers.N.gpus)");
    if (!service.gpu_curve)
      throw InputError("service.gpu_profile", "required when the scheduler offloads to GPUs (a service of type \"model\" with a GPU profile)");
  }
  if (scheduler_policy(scheduler.policy).online) {
    // Without a ladder the climb uses the offline search's defaults; it offloads when it can.
    OnlineSpec& o = scheduler.online;
    const bool can_offload = gpus > 0 && service.gpu_curve.has_value();
    if (!o.thresholds.empty() && !can_offload)
      throw InputError("scheduler.online.thresholds", "offload thresholds need servers with GPUs and service.gpu_profile");
    if (o.batches.empty()) o.batches = default_batch_ladder();
    if (s.arrival.process != "poisson")
      throw InputError("workload.arrival.process", "the \"deeprecsched-online\" policy varies the arrival rate while it climbs: expected \"poisson\"");
    if (o.min_qps == 0.0) o.min_qps = s.arrival.qps / 4;
    if (o.max_qps == 0.0) o.max_qps = s.arrival.qps * 4;
    if (!(o.max_qps > o.min_qps))
      throw InputError("scheduler.online.max_qps", "expected more than min_qps (" + std::to_string(o.min_qps) + ")");
    if (o.median_of > o.updates)
      throw InputError("scheduler.online.median_of", "expected at most updates (" + std::to_string(o.updates) + ")");
    if (o.thresholds.empty() && can_offload) o.thresholds = default_batch_ladder();
  }

  const SlaSpec sla = parse_sla(top.object("sla"));
  s.fleet = v1_fleet(s.name, groups, sizes, service, scheduler, sla, s.fleet.balancer);
  for (const ServerKind& kind : s.fleet.kinds) check_deployment(scheduler, &service, kind, "scheduler");
  check_deployments_fit(s.fleet, [](std::size_t, std::size_t) { return std::string("scheduler"); });
  if (top.has("failures")) s.fleet.failures = parse_failures(read_object(top, failures_key()), s.fleet);
  if (top.has("autoscaling")) s.fleet.autoscaling = parse_autoscaling(read_object(top, autoscaling_key()), s.fleet);

  JsonReader run = top.object("run");
  parse_run(run, s);
  if (s.fleet.embedding_cache()) check_embedding_cache(s);  // needs the workload's largest query
  run.finish();

  top.finish();
  return s;
}

namespace {
thread_local const LoadedScenarioReuse* reusable = nullptr;
}  // namespace

LoadedScenarioReuse::LoadedScenarioReuse(std::string p, std::vector<std::string> o, const Scenario& s)
    : path(std::move(p)), overrides(std::move(o)), scenario(s), outer(reusable) {
  reusable = this;
}
LoadedScenarioReuse::~LoadedScenarioReuse() { reusable = outer; }

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
  for (const LoadedScenarioReuse* r = reusable; r; r = r->outer)
    if (r->path == path && r->overrides == overrides) return r->scenario;
  // Results record paths resolved against the scenario's: they must be text.
  if (!is_valid_utf8(path)) throw InputError(printable(path, 200), "the scenario's path is not valid UTF-8");
  nlohmann::json document = read_json_file(path);
  for (const auto& assignment : overrides) apply_override(document, assignment);
  const auto base_dir = std::filesystem::path(path).parent_path().string();
  Scenario s = parse_scenario(document, base_dir.empty() ? "." : base_dir);
  s.source_file = path;
  s.final_document = document.dump();
  return s;
}

std::uint64_t Scenario::in_flight_bound() const {
  if (run.max_in_flight) return *run.max_in_flight;
  const auto units = static_cast<std::uint64_t>(total_cores()) + static_cast<std::uint64_t>(total_gpus());
  return std::max(kDefaultMaxInFlight, kInFlightPerUnit * units);
}

std::vector<std::string> Scenario::input_files() const {
  std::vector<std::string> files;
  for (const std::string* f : {&source_file, &arrival.trace_file, &arrival.file})
    if (!f->empty()) files.push_back(*f);
  for (const auto& k : fleet.kinds)
    for (const std::string* f : {&k.cpu_profile, &k.gpu_profile})
      if (!f->empty()) files.push_back(*f);
  for (const auto& m : fleet.models) {
    if (!m.query_size.file.empty()) files.push_back(m.query_size.file);
    for (const auto& svc : m.service) {
      if (!svc) continue;
      for (const std::string* f : {&svc->profile_file, &svc->gpu_profile_file, &svc->model_file})
        if (!f->empty()) files.push_back(*f);
      if (const auto& cache = svc->embedding_cache) {
        if (!cache->tier_profile_file.empty()) files.push_back(cache->tier_profile_file);
        if (!cache->key_trace_file.empty()) files.push_back(cache->key_trace_file);
      }
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace recsim
