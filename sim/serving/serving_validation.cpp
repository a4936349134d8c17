#include "sim/serving/serving_validation.h"

#include "sim/scenario/service_registry.h"

#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/calibration/drawn_inputs.h"
#include "kernels/model/model_weights.h"
#include "kernels/profiles/batch_ladder.h"
#include "sim/calibration/profile_measurement.h"
#include "sim/engine/isolated_run.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/scheduling/static_policy.h"
#include "sim/service/service_time_model.h"
#include "workloads/input_error.h"
#include "workloads/query_source.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

constexpr double kMinValidateLoad = 0.01;

// Timed work of each drift check (the profile's point at the largest request, timed again).
constexpr double kReferenceSeconds = 0.5;

// What real serving can serve: one server of CPU cores running one model, queries split by the
// static policy, Poisson arrivals.
void check_servable(const Scenario& s) {
  if (s.format != 1) throw InputError("format", "recsim validate serves one model on one server: format 2 scenarios are not supported");
  if (s.fleet.groups.size() != 1 || s.fleet.groups[0].count != 1)
    throw InputError("platform.servers", "recsim validate serves one server: expected one group with count 1");
  if (s.fleet.groups[0].gpus != 0)
    throw InputError("platform.servers.0.gpus", "recsim validate serves on this machine's CPU cores only: expected 0 GPUs");
  if (s.fleet.models.front().first_service().type != "model")
    throw InputError("service.type", "recsim validate runs a model's kernels: expected \"model\"");
  if (s.fleet.models.front().scheduler.front().policy != "static" && s.fleet.models.front().scheduler.front().policy != "cpu-only")
    throw InputError("scheduler.policy", "recsim validate serves with the static split: expected \"static\" or \"cpu-only\", got \"" +
                                             s.fleet.models.front().scheduler.front().policy + "\"");
  if (s.fleet.models.front().scheduler.front().instances > 0)
    throw InputError("scheduler.instances", "recsim validate serves one request per core from one queue: remove instances and intra_op_threads");
  if (s.arrival.process != "poisson")
    throw InputError("workload.arrival.process", "recsim validate issues Poisson arrivals: expected \"poisson\"");
  if (!s.fleet.models.front().first_service().table_rows.empty())
    throw InputError("service.table_rows", "recsim validate serves the tables the profile was calibrated with: remove table_rows");
}

// The first `n` queries the simulator sees at `qps` (the same streams as its load generator).
std::vector<QueryArrival> query_stream(const Scenario& s, double qps, std::size_t n) {
  auto source = make_synthetic_source(PoissonArrivals(qps, make_stream(s.seed, StreamId::arrivals)), make_query_sizes(s.fleet.models.front().query_size),
                                      make_stream(s.seed, StreamId::query_sizes));
  std::vector<QueryArrival> out(n);
  for (auto& q : out) source->next(q);
  return out;
}

DrawRange p95_over_draws(const Scenario& s, const RunResults& first, int draws, int jobs) {
  DrawRange range{draws, first.latency_ms->p95, first.latency_ms->p95};
  for (int next = 1; next < draws;) {
    std::vector<std::unique_ptr<IsolatedRun>> batch;
    for (; next < draws && static_cast<int>(batch.size()) < jobs; ++next) {
      SimulationOptions o;
      o.service_draws = static_cast<std::uint64_t>(next);
      batch.push_back(std::make_unique<IsolatedRun>(s, o));
    }
    for (auto& run : batch) {
      const double p95 = run->wait().latency_ms->p95;
      range.low = std::min(range.low, p95);
      range.high = std::max(range.high, p95);
    }
  }
  return range;
}

// The scenario served at the times real serving measured: a table service of the mean worker time
// per request size. Its error against real serving is the queueing model's own; the rest of the
// simulation's error is the profile's (calibration against serving conditions).
Scenario with_served_times(Scenario s, const std::map<int, ServedRequests>& served) {
  std::vector<std::pair<int, double>> batch_ms;
  for (const auto& [items, r] : served)
    if (r.requests > 0) batch_ms.emplace_back(items, r.mean_seconds() * 1e3);
  s.fleet.models.front().set_service(table_service_spec(batch_ms));
  return s;
}

void say(const ValidationOptions& o, const char* text) {
  if (!o.quiet) std::fprintf(stderr, "validate: %s\n", text);
}

// 1. The profile: the model calibrated here now (batch sizes up to the largest request,
// contention with every serving core busy), written to `path`; returns the calibration's record.
json calibrate_here(const ValidationSetup& setup, const ValidationOptions& o, const std::string& path) {
  CpuCalibrationOptions c;
  for (int b : default_batch_ladder())
    if (b <= setup.largest_request) c.batches.push_back(b);
  if (c.batches.empty() || c.batches.back() < setup.largest_request) c.batches.push_back(setup.largest_request);
  c.instances = setup.cores;
  for (int l = 2; l < setup.cores; ++l) c.levels.push_back(l);  // every contention level the serving cores allow
  c.after_idle_gaps_ms = default_after_idle_gaps_ms();  // recsim calibrate's defaults: requests that find a core idle
  char text[200];
  std::snprintf(text, sizeof text, "calibrating %s on this machine (%zu batch sizes, %d cores busy for contention)", setup.spec.name.c_str(),
                c.batches.size(), setup.cores);
  say(o, text);
  const LatencyProfile profile = measure_cpu_profile({setup.spec}, c, "all", o.command_line, o.quiet);
  write_latency_profile(profile, path);
  return {{"profile", o.profile_out.empty() ? json(nullptr) : json(o.profile_out)}, {"batches", c.batches}, {"provenance", profile.provenance}};
}

// 3. Real and simulated at one load, on the same queries.
ValidationLevel serve_level(const ValidationReport& r, double load, const WorkFactory& work, const std::function<double()>& time_reference,
                            const ValidationOptions& o, int jobs) {
  ValidationLevel l;
  l.load = load;
  l.qps = load * r.capacity.max_qps;
  Scenario s = r.scenario;
  s.arrival.qps = l.qps;
  l.simulated = simulate_isolated(s);
  l.simulated_p95 = p95_over_draws(s, l.simulated, o.draws, jobs);
  const std::vector<QueryArrival> queries = query_stream(s, l.qps, s.run.queries);
  char text[200];
  std::snprintf(text, sizeof text, "serving %llu queries at %.6g qps (%.0f%% of capacity) for real, about %.0f s",
                static_cast<unsigned long long>(queries.size()), l.qps, 100 * load, queries.back().time - queries.front().time);
  say(o, text);
  l.reference_ms = time_reference();
  RealServingOptions ro;
  ro.cores = r.cores;
  ro.batch_size = r.batch;
  ro.warmup_queries = s.run.warmup_queries;
  l.real = serve_real(queries, ro, work);
  std::uint64_t requests = 0;
  double served = 0.0, profiled = 0.0;
  for (const auto& [items, q] : l.real.served_by_items) {
    requests += q.requests;
    served += q.seconds;
    profiled += static_cast<double>(q.requests) * s.fleet.models.front().first_service().curve->seconds_at(items);
  }
  if (requests > 0) {
    l.served_ms_per_request = served / static_cast<double>(requests) * 1e3;
    l.profile_ms_per_request = profiled / static_cast<double>(requests) * 1e3;
    l.replayed = simulate_isolated(with_served_times(s, l.real.served_by_items));
  }
  const std::vector<CheckedRequest> checked = checked_requests(l.real, *make_service_model(s.fleet.models.front().first_service()), r.cores);
  l.check = check_service(checked, s.run.warmup_queries);
  l.order = replay_in_order_and_shuffled(checked, r.cores, s.run.warmup_queries, o.draws, s.seed);
  l.real.served_log.clear();  // not reported: bounded memory over the loads
  l.real.served_log.shrink_to_fit();
  return l;
}

}  // namespace

double ValidationReport::drift(double reference_ms) const { return relative_error(reference_ms, profile_reference_ms); }

ValidationSetup prepare_validation(const std::string& scenario_path, const ValidationOptions& o) {
  // The real run serves its queries in real time: at a load of x it lasts about 1/x times the
  // queries' service time. Below 1% that is hours for nothing a validation can use (and a load
  // near zero overflowed the real load generator's clock).
  for (const double load : o.loads)
    if (load < kMinValidateLoad) {
      char text[160];
      std::snprintf(text, sizeof text, "expected loads of at least 0.01 (the real run lasts about 1/load times its queries' service time), got %g", load);
      throw InputError("--loads", text);
    }
  ValidationSetup v;
  const int usable = usable_cpus();
  v.cores = o.cores > 0 ? o.cores : usable;
  if (v.cores > usable)
    throw InputError("--cores", "expected at most the " + std::to_string(usable) + " CPUs this process may use, got " + std::to_string(v.cores));
  v.sets = o.sets;
  v.sets.push_back("platform.servers.0.cpu_cores=" + std::to_string(v.cores));
  // One serving core has no other core busy beside it: no contention to measure or apply.
  if (v.cores == 1) v.sets.push_back("service.contention=false");
  v.sets.push_back("run.queries=" + std::to_string(o.queries));
  v.sets.push_back("run.warmup_queries=" + std::to_string(o.queries / 10));
  v.given = load_scenario(scenario_path, o.sets);
  check_servable(v.given);
  v.spec = load_model_spec(model_file(v.given.fleet.models.front().first_service().model));
  v.inputs = v.given.input_files();
  if (!o.profile.empty()) {
    v.inputs.push_back(o.profile);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(o.profile, ec)) throw InputError("--profile", "no such file: \"" + o.profile + "\"");
    const LatencyProfile p = load_latency_profile(o.profile);
    if (p.device != "cpu") throw InputError("--profile", "expected a CPU profile, got device \"" + p.device + "\"");
    if (!p.models.count(v.spec.name)) throw InputError("--profile", "has no model \"" + v.spec.name + "\"");
  }
  // Every request size the split makes: the batch size and the remainders below it.
  v.batch = v.given.fleet.models.front().scheduler.front().batch_size;
  v.largest_request = std::min(v.batch, v.given.fleet.models.front().query_size.largest());
  return v;
}

ValidationReport validate_serving(const std::string& scenario_path, const ValidationSetup& setup, const ValidationOptions& o) {
  ValidationReport r;
  r.model = setup.spec.name;
  r.cores = setup.cores;
  r.batch = setup.batch;
  r.largest_request = setup.largest_request;
  r.draws = o.draws;
  r.profile = o.profile;
  // 1. The profile: the one given, or the model calibrated here now (into a temporary file unless kept).
  std::string profile_path = o.profile;
  std::string temporary;
  r.calibration = nullptr;
  if (profile_path.empty()) {
    if (o.profile_out.empty())
      temporary = (std::filesystem::temp_directory_path() / ("recsim-validate-" + std::to_string(::getpid()) + ".profile.json")).string();
    profile_path = o.profile_out.empty() ? temporary : o.profile_out;
    r.calibration = calibrate_here(setup, o, profile_path);
  }
  struct RemoveTemporary {
    std::string path;
    ~RemoveTemporary() {
      std::error_code ec;
      if (!path.empty()) std::filesystem::remove(path, ec);
    }
  } cleanup{temporary};
  std::vector<std::string> sets = setup.sets;
  sets.push_back("service.profile=" + std::filesystem::absolute(profile_path).string());
  r.scenario = load_scenario(scenario_path, sets);
  const double rows_scale = load_latency_profile(profile_path).models.at(r.model).rows_scale;

  // 2. The simulated capacity of the served server.
  CapacityOptions co;
  co.jobs = o.jobs > 0 ? o.jobs : usable_cpus();
  r.capacity = find_capacity(r.scenario, co, isolated_evaluator(co.jobs));
  if (!r.capacity.found || r.capacity.max_qps <= 0)
    throw std::runtime_error("the simulated capacity was not found (" + r.capacity.note + "): nothing to validate against");
  char text[200];
  std::snprintf(text, sizeof text, "simulated capacity %.6g qps (p%g <= %g ms)", r.capacity.max_qps, r.scenario.fleet.models.front().sla.percentile,
                r.scenario.fleet.models.front().sla.target_ms);
  say(o, text);

  // 3. Real and simulated at each load, on the same queries. The sizes are drawn from their own
  // stream, the same at every rate, so one set of kernels and inputs serves every load.
  std::map<int, std::uint64_t> requests_by_size;
  const StaticPolicy split(r.batch);
  for (const auto& q : query_stream(r.scenario, r.capacity.max_qps, r.scenario.run.queries))
    for (int i = 0; i < split.request_count(q.size); ++i) ++requests_by_size[split.request_items(q.size, i)];
  const auto weights = std::make_shared<const ModelWeights>(make_model_weights(setup.spec, rows_scale, 1));
  const WorkFactory work = model_work(weights, 1, requests_by_size, kInputBytes);  // the calibration's bound on drawn inputs
  // The machine's drift: the profile's point at the largest request timed again, the calibration's
  // way, right before each load is served and after the last.
  CpuPointTimer reference(weights, r.largest_request, 2);
  r.profile_reference_ms = r.scenario.fleet.models.front().first_service().curve->seconds_at(r.largest_request) * 1e3;
  const std::function<double()> time_reference = [&] { return reference.measure(15, kReferenceSeconds, 100000).median_ms; };
  for (double load : o.loads) r.levels.push_back(serve_level(r, load, work, time_reference, o, co.jobs));
  r.reference_after_ms = r.levels.empty() ? 0.0 : time_reference();
  r.provenance = provenance_json(r.scenario);
  return r;
}

}  // namespace recsim
