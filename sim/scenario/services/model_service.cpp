// model: a calibrated model's request times from a CPU profile (docs/calibration.md), with its
// contention, after-idle, cold-size and run-spread factors; with a GPU profile, offloaded queries'
// kernel times and the bytes they move over PCIe (the model's definition), and optionally HPS's
// embedding cache (sim/scenario/embedding_cache_parser.h).
#include "kernels/model/model_spec.h"
#include "kernels/profiles/latency_profile.h"
#include "sim/provenance/file_memo.h"
#include "sim/scenario/embedding_cache_parser.h"
#include "sim/scenario/scenario_sections.h"
#include "sim/scenario/service_registry.h"
#include "sim/service/service_time_model.h"
#include "workloads/input_error.h"

#include <cstdint>

namespace recsim {
namespace {

using T = KeyDecl::Type;

// A model definition file, parsed once per process while it is unchanged (a sweep's points share it).
ModelSpec model_spec_of(const std::string& path) {
  static FileMemo<ModelSpec> parsed;
  return parsed.get(path, load_model_spec);
}

// The model definition of a model service: service.model_file (relative to the scenario), whose
// name must be service.model, else the shipped definition of that name.
ModelSpec load_service_model(JsonReader& service, ServiceSpec& spec, const std::string& base_dir) {
  if (service.has("model_file")) {
    const std::string where = service.child_path("model_file");
    spec.model_file = read_input_file(service, "model_file", base_dir);
    ModelSpec model = model_spec_of(spec.model_file);
    if (model.name != spec.model)
      throw InputError(where, "defines model \"" + model.name + "\", but service.model is \"" + spec.model + "\"");
    return model;
  }
  try {
    spec.model_file = model_file(spec.model);
    return model_spec_of(spec.model_file);
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


ServiceSpec parse_model_service(JsonReader& service, const KeyVariant& k, const std::string& base_dir, ProfileCache& cache) {
  ServiceSpec spec;
  spec.type = "model";
  spec.make = [](const ServiceSpec& s) {
    return make_profiled_service(*s.curve, s.contention_curve, s.after_idle, s.contention_levels, s.contention_instances,
                                 s.cold_size_curve, s.run_spread);
  };
  spec.model = read_string(service, k.key("model"));
  spec.profile_file = read_input_file(service, "profile", base_dir);
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
      read_choice(service, k.key("profile_fit")) == "raw" ? ProfileFit::raw : ProfileFit::smooth;
  // Each curve is fitted once per profile and model (ProfileCache::derived): the key names the curve.
  const std::string& model = spec.model;
  const std::string fitted = model + (fit == ProfileFit::raw ? "/raw/" : "/smooth/");
  const std::string where = service.child_path("model");
  spec.curve = cache.derived<LatencyCurve>(spec.profile_file, fitted + "curve", [&](const LatencyProfile& p) { return p.curve(model, where, fit); });
  if (read_boolean(service, k.key("after_idle")))
    spec.after_idle = cache.derived<std::vector<AfterIdleCurves>>(spec.profile_file, fitted + "after_idle",
                                                                  [&](const LatencyProfile& p) { return p.after_idle_curves(model, fit); });
  if (read_boolean(service, k.key("cold_size")))
    spec.cold_size_curve = cache.derived<std::optional<LatencyCurve>>(spec.profile_file, fitted + "cold_size",
                                                                      [&](const LatencyProfile& p) { return p.cold_size_curve(model, fit); });
  if (read_boolean(service, k.key("run_spread"))) spec.run_spread = profile.run_spread(spec.model);
  spec.intra_op_thread_curves = cache.derived<std::vector<std::pair<int, LatencyCurve>>>(
      spec.profile_file, fitted + "intra_op_threads", [&](const LatencyProfile& p) { return p.intra_op_thread_curves(model, fit); });
  if (read_boolean(service, k.key("contention"))) {
    spec.contention_curve = cache.derived<std::optional<LatencyCurve>>(
        spec.profile_file, fitted + "contention", [&](const LatencyProfile& p) { return p.contention_curve(model, fit); });
    spec.contention_levels = cache.derived<std::vector<std::pair<int, LatencyCurve>>>(
        spec.profile_file, fitted + "contention_levels", [&](const LatencyProfile& p) { return p.contention_level_curves(model, fit); });
    spec.contention_instances = profile.models.at(spec.model).contention_instances;
    if (!spec.contention_curve)
      throw InputError(service.child_path("contention"),
                       "the profile has no contention measurement for \"" + spec.model + "\"; set it to false");
  }
  if (service.has("gpu_profile")) {
    const std::string where = service.child_path("gpu_profile");
    spec.gpu_profile_file = read_input_file(service, "gpu_profile", base_dir);
    const LatencyProfile& gpu = cache.load(spec.gpu_profile_file);
    if (gpu.device != "gpu")
      throw InputError(where, "expected a GPU profile (\"device\": \"gpu\"), got \"" + gpu.device + "\"");
    gpu.curve(spec.model, where);  // names the models it has when this one is missing
    spec.gpu_curve = cache.derived<std::optional<LatencyCurve>>(spec.gpu_profile_file, fitted + "kernel",
                                                                [&](const LatencyProfile& p) { return p.kernel_curve(model, fit); });
    if (!spec.gpu_curve)
      throw InputError(where, "the profile has no kernel-only times (\"kernel_only_ms\") for \"" + spec.model + "\"");
    spec.gpu_profile_source = gpu.source;
    // service.gpu_copy_overhead (default true): each copy's fixed cost from the GPU profile, on
    // top of its bytes over the PCIe link; false charges the bytes alone.
    if (read_boolean(service, k.key("gpu_copy_overhead"))) {
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
  return spec;
}

}  // namespace

ServiceKind model_service() {
  KeyVariant keys{
      "model",
      "a model's latency vs batch size from a CPU profile (the shipped one is measured), with the busy-server contention factor "
      "and the after-idle, cold-size and run-spread factors of docs/calibration.md; with `gpu_profile`, offloaded queries' "
      "kernel times from a GPU profile (the shipped one is analytic: docs/gpu-model.md) and their bytes over PCIe",
      {
          {.type = T::string, .name = "model", .help = "which model's curve to use", .also = "a model the profile has (`dlrm-rmc1`, `dlrm-rmc2`, `dlrm-rmc3`, `ncf`, `wnd`, `mtwnd`, `din`, `dien` in the shipped profiles)"},
          {.type = T::file, .name = "profile", .help = "the profile, e.g. `../../kernels/profiles/cpu-amd-epyc-2c.json`", .also = "a profile with `\"device\": \"cpu\"`"},
          {.type = T::choice, .name = "profile_fit", .required = false, .fallback = "smooth", .choices = {"smooth", "raw"}, .help = "`\"smooth\"`: every curve of the profiles (alone, contention, after-idle, cold-size, GPU kernels) is the fitted model of its points (docs/calibration.md, *The fitted curve*); `\"raw\"`: linear interpolation between the measured medians"},
          {.type = T::boolean, .name = "contention", .required = false, .fallback = true, .help = "apply the busy-server slowdown", .also = "`true` needs the profile to have a contention measurement for the model"},
          {.type = T::boolean, .name = "after_idle", .required = false, .fallback = true, .help = "where the profile has an after-idle measurement for the model (docs/calibration.md), apply it to requests that find their core idle, by the pause they found, and its carry-over to the requests after them; without one, nothing changes"},
          {.type = T::boolean, .name = "cold_size", .required = false, .fallback = true, .help = "where the profile has a cold-size measurement for the model (`cold_size_ms`), apply it to requests of at most the curve's largest size (64) that their core has not run among its last 12 requests; without one, nothing changes"},
          {.type = T::boolean, .name = "run_spread", .required = false, .fallback = true, .help = "where the profile has a within-pass spread for the model (`run_spread`), draw each request's own factor from it (a split lognormal with median 1 and the measured p10/p90 ratios at its size, docs/calibration.md); without one, every request of a size and history takes one time"},
          {.type = T::file, .name = "gpu_profile", .required = false, .help = "GPU service: a query of n items offloaded to a GPU runs the profile's kernel-only time at n (interpolated); required when the scheduler offloads", .also = "a profile with `\"device\": \"gpu\"` and `kernel_only_ms` for the model; the model needs a definition: `service.model_file`, else the shipped `kernels/models/NAME.json` (its input and output bytes per item size the PCIe transfers; its tables are the embedding cache's)"},
          {.type = T::boolean, .name = "gpu_copy_overhead", .required = false, .fallback = true, .help = "each copy of an offloaded query (inputs to the GPU, outputs back) first takes its fixed cost, the GPU profile's upload (download) curve at zero items (a least-squares line through its medians: the launch, driver and DMA set-up), then its bytes cross the PCIe link; `false`: the bytes alone", .also = "needs `service.gpu_profile`"},
          {.type = T::file, .name = "model_file", .required = false, .help = "the model definition read for bytes per item and the embedding tables, instead of `kernels/models/NAME.json`. Service times still come from the profiles (measured or computed with the definition they name). Without this key, the environment variable `RECSIM_MODELS_DIR`, when set, replaces `kernels/models/` as the directory of `NAME.json` (for the whole process: calibration too). The file read is recorded in the results (`service.model_file`)", .when = "the shipped definition", .also = "only with `service.gpu_profile`; a model definition (docs/models.md) whose `name` is `service.model`; relative to the scenario"},
          {.type = T::integer, .name = "table_rows", .required = false, .unit = "rows", .help = "the rows of every table (one integer) or of each table, replacing the definition's, e.g. a Criteo-sized 188,000,000; the cache's size, the tiers' shares and key popularity follow. Recorded in the results (`service.table_rows`)", .when = "the definition's",
           .also = "only with `service.embedding_cache`; each 1 to 2^40; an array has one count per table (groups expanded, in definition order)", .type_name = "integer, or array of integers",
           .schema = nlohmann::json::parse(R"({"oneOf": [{"type": "integer", "minimum": 1}, {"type": "array", "items": {"type": "integer", "minimum": 1}}]})")},
          {.type = T::object, .name = "embedding_cache", .required = false, .help = "HugeCTR HPS's hierarchy for offloaded queries (docs/parameter-server.md): one GPU cache per embedding table of the model per GPU, over a volatile tier, over an optional persistent tier. Each query's keys (items × the table's lookups per item, deduplicated) are looked up; a table lookup whose hit rate is below `hit_rate_threshold` waits for its misses (read from the lower tiers, then the vectors over the GPU's PCIe link, before the query's inputs); at or above it, the misses get the default vector (counted) and are fetched in the background. Results: `embedding_cache`", .also = "only with `service.gpu_profile`", .section = "embedding_cache"},
      },
      {}};
  return {keys, parse_model_service};
}

}  // namespace recsim
