#include "sim/scenario/scenario_parser.h"

#include "sim/scenario/scenario_sections.h"

#include "kernels/model/model_spec.h"
#include "kernels/profiles/latency_profile.h"
#include "kernels/profiles/tier_profile.h"
#include "sim/balancing/balancer.h"
#include "sim/ps/embedding_cache.h"
#include "sim/ps/table_fetch.h"
#include "sim/ps/update_stream.h"
#include "sim/scenario/overrides.h"
#include "sim/scenario/query_size_registry.h"
#include "sim/scenario/resource_estimate.h"
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

std::vector<ServerGroup> parse_platform(JsonReader platform) {
  std::vector<ServerGroup> groups;
  const auto& servers = platform.array("servers");
  const std::string servers_path = platform.child_path("servers");
  if (servers.empty()) throw InputError(servers_path, "expected at least one server group");
  constexpr std::int64_t kMaxServers = 100000;
  std::set<std::string> names;
  std::int64_t total = 0;
  for (std::size_t i = 0; i < servers.size(); ++i) {
    JsonReader g(servers[i], servers_path + "." + std::to_string(i));
    ServerGroup group;
    group.name = g.string_or("name", servers.size() == 1 ? "server" : "group" + std::to_string(i));
    group.count = static_cast<int>(g.integer_or("count", 1, 1, 100000));
    group.cpu_cores = static_cast<int>(g.integer("cpu_cores", 1, 4096));
    group.gpus = static_cast<int>(g.integer_or("gpus", 0, 0, 64));
    if (group.gpus > 0) {
      JsonReader pcie = g.object("pcie");
      group.pcie_bytes_per_s = pcie.number("gb_per_s", 1e-3, 1e6) * 1e9;
      group.pcie_latency_s = pcie.number("latency_us", 0.0, 1e6) * 1e-6;
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
  const auto process = arrival.choice("process", {"poisson", "trace"});
  if (process == "poisson") {
    a.process = ArrivalSpec::Process::poisson;
    a.qps = arrival.number("qps", 0.0, kInf, true);
  } else {
    a.process = ArrivalSpec::Process::trace;
    a.trace_file = resolve(base_dir, arrival.string("file"));
    require_file(arrival.child_path("file"), a.trace_file);
    // Optional: replay at this mean rate, the time axis scaled (checked against the trace in parse_run).
    a.trace_rate_given = arrival.has("qps");
    a.qps = a.trace_rate_given ? arrival.number("qps", 0.0, kInf, true) : 0.0;
  }
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
  if (arrival.process == ArrivalSpec::Process::trace) {
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

// The curve of `tier` at every dimension of the model's tables, or an error at `where` naming what
// the profile lacks.
std::map<int, LatencyCurve> tier_curves(const TierProfile& tiers, const std::string& tier, bool writes,
                                        const std::vector<EmbeddingTableSpec>& tables, const std::string& where,
                                        const char* why) {
  std::map<int, LatencyCurve> curves;
  for (const auto& t : tables) {
    try {
      curves.emplace(t.dim, writes ? tiers.write_curve(tier, t.dim) : tiers.curve(tier, t.dim));
    } catch (const std::out_of_range& e) {
      throw InputError(where, std::string(e.what()) + ", which " + why);
    }
  }
  return curves;
}

EmbeddingCacheSpec parse_embedding_cache(JsonReader cache, const ModelSpec& model, const std::string& base_dir) {
  EmbeddingCacheSpec spec;
  spec.mode = cache.choice_or("mode", {"keys", "analytic"}, "keys") == "keys" ? EmbeddingCacheSpec::Mode::keys
                                                                               : EmbeddingCacheSpec::Mode::analytic;
  spec.fraction = cache.number("fraction", 0.0, 1.0, true);
  spec.hit_rate_threshold = cache.number_or("hit_rate_threshold", 0.9, 0.0, 10.0);
  spec.preload = cache.boolean_or("preload", false);
  JsonReader keys = cache.object("keys");
  const std::string distribution = keys.choice("distribution", {"zipf", "uniform", "trace"});
  if (distribution == "zipf") spec.zipf_alpha = keys.number("alpha", 0.0, 10.0, true);
  if (distribution == "trace") {
    if (spec.mode == EmbeddingCacheSpec::Mode::analytic)
      throw InputError(keys.child_path("distribution"), "the analytic mode needs a Zipf or uniform popularity, not a key trace");
    spec.key_trace_file = resolve(base_dir, keys.string("file"));
    require_file(keys.child_path("file"), spec.key_trace_file);
  }
  keys.finish();
  const std::string where = cache.child_path("tier_profile");
  spec.tier_profile_file = resolve(base_dir, cache.string("tier_profile"));
  require_file(where, spec.tier_profile_file);
  spec.volatile_tier = cache.choice_or("volatile_tier", {"host_hash_map", "redis"}, "host_hash_map");
  spec.volatile_fraction = cache.number_or("volatile_fraction", 1.0, 0.0, 1.0, true);
  if (spec.volatile_tier == "redis") {
    JsonReader redis = cache.object("redis");
    RedisSpec r;
    r.nodes = static_cast<int>(redis.integer_or("nodes", 1, 1, 4096));
    r.bytes_per_s = redis.number("gb_per_s", 1e-3, 1e6) * 1e9;
    r.latency_s = redis.number("latency_us", 0.0, 1e6) * 1e-6;
    redis.finish();
    spec.redis = r;
  } else if (cache.has("redis")) {
    throw InputError(cache.child_path("redis"), "a Redis link needs \"volatile_tier\": \"redis\"");
  }
  if (cache.has("persistent")) {
    JsonReader p = cache.object("persistent");
    PersistentTierSpec t;
    t.fraction = p.number_or("fraction", 1.0, 0.0, 1.0, true);
    t.read_bytes_per_s = p.number("read_gb_per_s", 1e-3, 1e6) * 1e9;
    t.write_bytes_per_s = p.number("write_gb_per_s", 1e-3, 1e6) * 1e9;
    t.block_bytes = static_cast<std::uint64_t>(p.integer_or("block_bytes", 4096, 1, std::int64_t{1} << 30));
    p.finish();
    if (t.fraction < spec.volatile_fraction)
      throw InputError(cache.child_path("persistent") + ".fraction",
                       "must be at least volatile_fraction: the persistent tier holds every row the volatile tier does");
    spec.persistent = t;
  }
  if (cache.has("refresh")) {
    JsonReader r = cache.object("refresh");
    spec.refresh = CacheRefreshSpec{r.number("interval_ms", 0.1, 1e9) / 1e3, r.number("share", 0.0, 1.0, true)};
    r.finish();
  }
  if (cache.has("updates")) {
    const std::string updates_path = cache.child_path("updates");
    if (spec.mode != EmbeddingCacheSpec::Mode::keys)
      throw InputError(updates_path, "online updates need \"mode\": \"keys\" (staleness is tracked per cached key)");
    JsonReader u = cache.object("updates");
    UpdateStreamSpec stream;
    stream.keys_per_s = u.number("keys_per_s", 0.0, 1e9, true);
    stream.tick_s = u.number_or("tick_ms", 10.0, 0.1, 1e9) / 1e3;
    if (u.has("outages")) {
      const auto& outages = u.array("outages");
      const std::string outages_path = u.child_path("outages");
      for (std::size_t i = 0; i < outages.size(); ++i) {
        JsonReader o(outages[i], outages_path + "." + std::to_string(i));
        UpdateOutage outage{o.string("server"), o.number("from_s", 0.0, kInf), 0.0};
        outage.until_s = o.number("until_s", 0.0, kInf);
        if (!(outage.until_s > outage.from_s)) throw InputError(o.child_path("until_s"), "must be after from_s");
        o.finish();
        stream.outages.push_back(outage);
      }
    }
    u.finish();
    spec.updates = stream;
  }
  spec.timeline_bin_s = cache.number_or("timeline_ms", 10.0, 1e-3, 1e9) / 1e3;
  cache.finish();

  for (const auto& t : model.expanded_tables()) spec.tables.push_back({t.rows, t.dim, t.lookups});
  if (!spec.key_trace_file.empty()) {  // every key must fit every table (errors name file:line)
    std::int64_t rows = spec.tables.front().rows;
    for (const auto& t : spec.tables) rows = std::min(rows, t.rows);
    spec.key_trace = load_key_trace(spec.key_trace_file);
    TraceKeys check(spec.key_trace, static_cast<std::uint64_t>(rows));
  }
  const TierProfile tiers = load_tier_profile(spec.tier_profile_file);
  spec.fetch_curves = tier_curves(tiers, spec.volatile_tier, false, spec.tables, where, "the model's tables need");
  if (spec.persistent)
    spec.persistent_fetch_curves = tier_curves(tiers, "rocksdb", false, spec.tables, where, "the persistent tier needs");
  if (spec.updates) {
    spec.volatile_write_curves = tier_curves(tiers, spec.volatile_tier, true, spec.tables, where, "online updates need");
    if (spec.persistent)
      spec.persistent_write_curves = tier_curves(tiers, "rocksdb", true, spec.tables, where, "online updates need");
  }
  return spec;
}

// The model definition of a model service: service.model_file (relative to the scenario), whose
// name must be service.model, else the shipped definition of that name.
ModelSpec load_service_model(JsonReader& service, ServiceSpec& spec, const std::string& base_dir) {
  if (service.has("model_file")) {
    const std::string where = service.child_path("model_file");
    spec.model_file = resolve(base_dir, service.string("model_file"));
    require_file(where, spec.model_file);
    ModelSpec model = load_model_spec(spec.model_file);
    if (model.name != spec.model)
      throw InputError(where, "defines model \"" + model.name + "\", but service.model is \"" + spec.model + "\"");
    return model;
  }
  try {
    spec.model_file = model_file(spec.model);
    return load_model_spec(spec.model_file);
  } catch (const InputError& e) {
    throw InputError(service.child_path("model"), std::string("GPU offload needs the model's definition: ") + e.what());
  }
}

// The model with its tables' rows replaced: one integer for every table, or an array of one per
// table (groups expanded, in definition order). `rows` receives the rows in force, one per table.
ModelSpec with_table_rows(const ModelSpec& model, const nlohmann::json& value, const std::string& where,
                          std::vector<std::int64_t>& rows) {
  constexpr std::int64_t kMaxRows = std::int64_t{1} << 40;
  const auto tables = model.expanded_tables();
  const auto one = [&](const nlohmann::json& v, const std::string& path) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxRows)
      throw InputError(path, "expected an integer number of rows in [1, 2^40]");
    return v.get<std::int64_t>();
  };
  rows.clear();
  if (value.is_array()) {
    if (value.size() != tables.size())
      throw InputError(where, "expected one row count per table: the model has " + std::to_string(tables.size()) +
                                  " tables, the array " + std::to_string(value.size()) + " values");
    for (std::size_t i = 0; i < value.size(); ++i) rows.push_back(one(value[i], where + "." + std::to_string(i)));
  } else {
    rows.assign(tables.size(), one(value, where));
  }
  ModelSpec m = model;
  m.tables.clear();
  for (std::size_t i = 0; i < tables.size(); ++i) {
    TableGroup t = tables[i];
    t.count = 1;
    t.rows = rows[i];
    m.tables.push_back(t);
  }
  return m;
}

}  // namespace

const LatencyProfile& ProfileCache::load(const std::string& path) {
  auto it = profiles_.find(path);
  if (it == profiles_.end()) it = profiles_.emplace(path, load_latency_profile(path)).first;
  return it->second;
}

ServiceSpec parse_service(JsonReader service, const std::string& base_dir, ProfileCache* profiles) {
  ProfileCache own;
  ProfileCache& cache = profiles ? *profiles : own;
  ServiceSpec spec;
  const auto type = service.choice("type", {"exponential", "deterministic", "table", "model"});
  if (type == "exponential") {
    spec.type = ServiceSpec::Type::exponential;
    spec.mean_ms = service.number("mean_ms", 0.0, 1e9, true);
  } else if (type == "deterministic") {
    spec.type = ServiceSpec::Type::deterministic;
    spec.ms = service.number("ms", 0.0, 1e9, true);
  } else if (type == "model") {
    spec.type = ServiceSpec::Type::model;
    spec.model = service.string("model");
    spec.profile_file = resolve(base_dir, service.string("profile"));
    require_file(service.child_path("profile"), spec.profile_file);
    const LatencyProfile& profile = cache.load(spec.profile_file);
    if (profile.device != "cpu")
      throw InputError(service.child_path("profile"), "expected a CPU profile (\"device\": \"cpu\"), got \"" + profile.device + "\"");
    spec.profile_source = profile.source;
    if (profile.provenance.is_object()) {
      const auto& prov = profile.provenance;
      if (prov.contains("cores") && prov["cores"].is_number_integer()) spec.profile_cores = prov["cores"].get<int>();
      if (prov.contains("cpu_model") && prov["cpu_model"].is_string()) spec.profile_cpu_model = prov["cpu_model"].get<std::string>();
      const auto method = prov.find("method");
      if (method != prov.end() && method->is_object() && method->contains("contention_instances") &&
          (*method)["contention_instances"].is_number_integer())
        spec.profile_busy_cores = (*method)["contention_instances"].get<int>();
    }
    // service.profile_fit: "smooth" (default) uses the fitted model of the profile's points
    // (kernels/profiles/curve_fit.h), "raw" interpolates between the measured medians.
    const ProfileFit fit =
        service.has("profile_fit") && service.choice("profile_fit", {"smooth", "raw"}) == "raw" ? ProfileFit::raw : ProfileFit::smooth;
    spec.curve = profile.curve(spec.model, service.child_path("model"), fit);
    if (service.boolean_or("after_idle", true)) spec.after_idle = profile.after_idle_curves(spec.model, fit);
    if (service.boolean_or("cold_size", true)) spec.cold_size_curve = profile.cold_size_curve(spec.model, fit);
    if (service.boolean_or("run_spread", true)) spec.run_spread = profile.run_spread(spec.model);
    if (service.boolean_or("contention", true)) {
      spec.contention_curve = profile.contention_curve(spec.model, fit);
      spec.contention_levels = profile.contention_level_curves(spec.model, fit);
      spec.contention_instances = profile.models.at(spec.model).contention_instances;
      if (!spec.contention_curve)
        throw InputError(service.child_path("contention"),
                         "the profile has no contention measurement for \"" + spec.model + "\"; set it to false");
    }
    if (service.has("gpu_profile")) {
      const std::string where = service.child_path("gpu_profile");
      spec.gpu_profile_file = resolve(base_dir, service.string("gpu_profile"));
      require_file(where, spec.gpu_profile_file);
      const LatencyProfile& gpu = cache.load(spec.gpu_profile_file);
      if (gpu.device != "gpu")
        throw InputError(where, "expected a GPU profile (\"device\": \"gpu\"), got \"" + gpu.device + "\"");
      gpu.curve(spec.model, where);  // names the models it has when this one is missing
      spec.gpu_curve = gpu.kernel_curve(spec.model, fit);
      if (!spec.gpu_curve)
        throw InputError(where, "the profile has no kernel-only times (\"kernel_only_ms\") for \"" + spec.model + "\"");
      spec.gpu_profile_source = gpu.source;
      // service.gpu_copy_overhead (default true): each copy's fixed cost from the GPU profile, on
      // top of its bytes over the PCIe link; false charges the bytes alone.
      if (service.boolean_or("gpu_copy_overhead", true)) {
        spec.gpu_upload_fixed_s = gpu.copy_fixed_ms(spec.model, true) / 1e3;
        spec.gpu_download_fixed_s = gpu.copy_fixed_ms(spec.model, false) / 1e3;
      }
      // Bytes moved per item and the embedding tables come from the model's definition: the
      // scenario's model_file, else the shipped one (RECSIM_MODELS_DIR/NAME.json when that is set).
      ModelSpec model = load_service_model(service, spec, base_dir);
      spec.input_bytes_per_item = model.input_bytes_per_item();
      spec.output_bytes_per_item = model.output_bytes_per_item();
      if (service.has("table_rows")) {
        if (!service.has("embedding_cache"))
          throw InputError(service.child_path("table_rows"), "table rows matter only to the embedding cache: add service.embedding_cache or remove it");
        model = with_table_rows(model, service.value("table_rows"), service.child_path("table_rows"), spec.table_rows);
      }
      if (service.has("embedding_cache")) spec.embedding_cache = parse_embedding_cache(service.object("embedding_cache"), model, base_dir);
    } else {
      for (const char* key : {"embedding_cache", "model_file", "table_rows"})
        if (service.has(key))
          throw InputError(service.child_path(key), std::string(key == std::string("embedding_cache")
                                                                    ? "the GPU embedding cache serves offloaded queries"
                                                                    : "the model's definition is read only for GPU offload") +
                                                        ": it needs service.gpu_profile");
    }
  } else {
    spec.type = ServiceSpec::Type::table;
    const auto& points = service.array("points");
    const std::string points_path = service.child_path("points");
    if (points.empty()) throw InputError(points_path, "expected at least one {\"batch\", \"ms\"} point");
    for (std::size_t i = 0; i < points.size(); ++i) {
      JsonReader p(points[i], points_path + "." + std::to_string(i));
      const int batch = static_cast<int>(p.integer("batch", 1, kMaxQuerySize));
      const double ms = p.number("ms", 0.0, 1e9, true);
      p.finish();
      if (!spec.batch_ms.empty() && batch <= spec.batch_ms.back().first)
        throw InputError(p.child_path("batch"), "batch sizes must increase strictly from point to point");
      spec.batch_ms.emplace_back(batch, ms);
    }
  }
  service.finish();
  return spec;
}

SchedulerSpec parse_scheduler(JsonReader scheduler, std::string* server_selection) {
  SchedulerSpec spec;
  spec.policy = scheduler.choice("policy", scheduler_names());
  scheduler_policy(spec.policy).parse(scheduler, spec);
  if (server_selection) *server_selection = scheduler.choice_or("server_selection", balancer_names(), "least_loaded");
  scheduler.finish();
  return spec;
}

namespace {

// The checks of service.embedding_cache that need the rest of the scenario.
void check_embedding_cache(const Scenario& s) {
  const EmbeddingCacheSpec& cache = *s.fleet.embedding_cache();
  if (cache.mode == EmbeddingCacheSpec::Mode::keys) {
    // Each GPU holds its own caches.
    const double bytes = embedding_cache_bytes(s);
    constexpr double kMaxCacheBytes = 8.0 * 1024 * 1024 * 1024;
    if (bytes > kMaxCacheBytes) {
      char buf[200];
      std::snprintf(buf, sizeof buf,
                    "the caches of all GPUs would take %.1f GiB of the simulator's memory (at most 8 GiB): lower it, or use \"mode\": \"analytic\"",
                    bytes / (1024.0 * 1024 * 1024));
      throw InputError("service.embedding_cache.fraction", buf);
    }
    int lookups = 0;
    for (const auto& t : cache.tables) lookups = std::max(lookups, t.lookups);
    if (const std::int64_t items = s.fleet.models.front().query_size.largest();
        static_cast<std::uint64_t>(items) * static_cast<std::uint64_t>(lookups) > kMaxKeysPerTableLookup)
      throw InputError("service.embedding_cache.mode",
                       "queries of up to " + std::to_string(items) + " items ask up to " + std::to_string(items * lookups) +
                           " keys of one table, more than the key-level mode draws (2^28): use \"analytic\"");
  }
  if (!cache.updates) return;
  if (const double slice = cache.updates->keys_per_s * cache.updates->tick_s * static_cast<double>(cache.tables.size());
      slice > kMaxUpdateBatchKeys) {
    char buf[240];
    std::snprintf(buf, sizeof buf,
                  "a slice holds %.0f updates of all tables on average (keys_per_s x tick x %zu tables), more than a consumer "
                  "applies at once (65536): lower tick_ms",
                  slice, cache.tables.size());
    throw InputError("service.embedding_cache.updates.tick_ms", buf);
  }
  const auto& outages = cache.updates->outages;
  for (std::size_t i = 0; i < outages.size(); ++i) {
    const std::string where = "service.embedding_cache.updates.outages." + std::to_string(i) + ".server";
    const ServerGroup* group = nullptr;
    for (const auto& g : s.fleet.groups)
      for (int k = 0; k < g.count; ++k)
        if (outages[i].server == g.name + "-" + std::to_string(k)) group = &g;
    if (!group)
      throw InputError(where, "no server is named \"" + outages[i].server + "\" (servers are named <group>-<index>, e.g. \"" +
                                  s.fleet.groups.front().name + "-0\")");
    if (group->gpus == 0) throw InputError(where, "\"" + outages[i].server + "\" has no GPU, so no update consumer to stop");
    for (std::size_t j = 0; j < i; ++j)
      if (outages[j].server == outages[i].server && outages[j].from_s < outages[i].until_s && outages[i].from_s < outages[j].until_s)
        throw InputError("service.embedding_cache.updates.outages." + std::to_string(i),
                         "overlaps outage " + std::to_string(j) + " of the same server");
  }
}

}  // namespace

namespace {

// Format 1 translated into the fleet: each server group its own kind, one model served on every
// server (named for its profile's model, else for the scenario), the scheduler's server_selection the
// fleet's balancer.
Fleet v1_fleet(const std::string& scenario_name, const std::vector<ServerGroup>& groups, const QuerySizeSpec& sizes,
               const ServiceSpec& service, const SchedulerSpec& scheduler, const SlaSpec& sla, const std::string& balancer) {
  Fleet f;
  f.balancer = balancer;
  FleetModel model;
  model.name = service.type == ServiceSpec::Type::model ? service.model : scenario_name;
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

void parse_run(JsonReader& run, Scenario& s) {
  if (s.arrival.process == ArrivalSpec::Process::trace) {
    int trace_max = 0;
    double trace_mean = 0.0;
    const auto rows = validate_trace(s.arrival.trace_file, &trace_max, &trace_mean, &s.arrival.trace_span_s);
    for (auto& m : s.fleet.models) {  // every model's sizes come from the trace
      m.query_size.max = trace_max;
      m.query_size.trace_mean = trace_mean;
    }
    ArrivalSpec& a = s.arrival;
    a.trace_recorded_qps = a.trace_span_s > 0.0 ? static_cast<double>(rows) / a.trace_span_s : 0.0;
    if (a.trace_rate_given && a.trace_recorded_qps == 0.0)
      throw InputError("workload.arrival.qps", "the trace's arrivals all come at time 0: it has no rate to scale");
    if (!a.trace_rate_given) a.qps = a.trace_recorded_qps;
    s.run.queries = static_cast<std::uint64_t>(run.integer_or("queries", static_cast<std::int64_t>(rows), 1, kMaxCount));
    if (s.run.queries > rows)
      throw InputError(run.child_path("queries"), "the trace has only " + std::to_string(rows) + " queries, fewer than " +
                                                      std::to_string(s.run.queries));
  } else {
    s.run.queries = static_cast<std::uint64_t>(run.integer("queries", 1, kMaxCount));
  }
  s.run.warmup_queries = static_cast<std::uint64_t>(run.integer_or("warmup_queries", 0, 0, kMaxCount));
  if (s.run.warmup_queries >= s.run.queries)
    throw InputError(run.child_path("warmup_queries"),
                     "expected fewer warm-up queries than run.queries (" + std::to_string(s.run.queries) + ")");
  s.run.max_in_flight = static_cast<std::uint64_t>(run.integer_or("max_in_flight", 100000, 1, 100'000'000));
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
  top.integer_or("format", 1, 1, 1);
  s.name = top.string("name");
  top.string_or("description", "");
  s.seed = static_cast<std::uint64_t>(top.integer_or("seed", 1, 0, std::numeric_limits<std::int64_t>::max()));
  const std::vector<ServerGroup> groups = parse_platform(top.object("platform"));
  int gpus = 0;
  for (const auto& g : groups) gpus += g.count * g.gpus;
  const QuerySizeSpec sizes = parse_workload(top.object("workload"), base_dir, s.arrival);
  const ServiceSpec service = parse_service(top.object("service"), base_dir);
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
    if (s.arrival.process != ArrivalSpec::Process::poisson)
      throw InputError("workload.arrival.process", "the \"deeprecsched-online\" policy varies the arrival rate while it climbs: expected \"poisson\"");
    if (o.min_qps == 0.0) o.min_qps = s.arrival.qps / 4;
    if (o.max_qps == 0.0) o.max_qps = s.arrival.qps * 4;
    if (!(o.max_qps > o.min_qps))
      throw InputError("scheduler.online.max_qps", "expected more than min_qps (" + std::to_string(o.min_qps) + ")");
    if (o.median_of > o.updates)
      throw InputError("scheduler.online.median_of", "expected at most updates (" + std::to_string(o.updates) + ")");
    if (o.thresholds.empty() && can_offload) o.thresholds = default_batch_ladder();
  }

  JsonReader sla_reader = top.object("sla");
  SlaSpec sla;
  sla.percentile = sla_reader.number("percentile", 0.0, 100.0, true, true);
  sla.target_ms = sla_reader.number("target_ms", 0.0, 1e12, true);
  sla_reader.finish();
  s.fleet = v1_fleet(s.name, groups, sizes, service, scheduler, sla, s.fleet.balancer);

  JsonReader run = top.object("run");
  parse_run(run, s);
  if (s.fleet.embedding_cache()) check_embedding_cache(s);  // needs the workload's largest query
  run.finish();

  top.finish();
  return s;
}

Scenario load_scenario(const std::string& path, const std::vector<std::string>& overrides) {
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

std::vector<std::string> Scenario::input_files() const {
  std::vector<std::string> files;
  for (const std::string* f : {&source_file, &arrival.trace_file})
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
