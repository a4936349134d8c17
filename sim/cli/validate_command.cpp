// `recsim validate SCENARIO.json [--profile FILE] [--profile-out FILE] [--cores N] [--loads LIST]
//                 [--queries N] [--draws N] [--set PATH=VALUE]... [--out FILE] [--jobs N] [--quiet] [--validate-only]`:
// serves the scenario's model for real on this machine (sim/serving/real_server.h) and simulates
// the same server, with a profile calibrated here, at a few fractions of the simulated capacity;
// reports both latency distributions and the simulation's error (docs/validation.md).
#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/calibration/drawn_inputs.h"
#include "kernels/model/model_spec.h"
#include "kernels/model/model_weights.h"
#include "kernels/profiles/batch_ladder.h"
#include "sim/cli/commands.h"
#include "sim/cli/cpu_profile_measurement.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/list_parsing.h"
#include "sim/cli/output_path.h"
#include "sim/engine/atomic_file.h"
#include "sim/engine/isolated_run.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/scheduling/static_policy.h"
#include "sim/search/capacity_search.h"
#include "sim/serving/order_replay.h"
#include "sim/serving/real_server.h"
#include "sim/serving/service_check.h"
#include "sim/service/service_time_model.h"
#include "workloads/input_error.h"
#include "workloads/query_source.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <map>
#include <unistd.h>

namespace recsim {
namespace {

using json = nlohmann::ordered_json;

struct ValidateFlags {
  std::string scenario;
  std::string profile;      // a CPU profile to use instead of calibrating
  std::string profile_out;  // where the calibrated profile is kept
  std::string out;
  std::vector<std::string> sets;
  std::string loads = "0.3,0.6,0.85";
  int cores = 0;            // 0: the CPUs this process may use
  int queries = 5000;
  int draws = 20;
  int jobs = 0;
  bool quiet = false;
  bool validate_only = false;
  std::string command_line;
};

// What real serving can serve: one server of CPU cores running one model, queries split by the
// static policy, Poisson arrivals.
void check_servable(const Scenario& s) {
  if (s.format != 1) throw InputError("format", "recsim validate serves one model on one server: format 2 scenarios are not supported");
  if (s.servers.size() != 1 || s.servers[0].count != 1)
    throw InputError("platform.servers", "recsim validate serves one server: expected one group with count 1");
  if (s.servers[0].gpus != 0)
    throw InputError("platform.servers.0.gpus", "recsim validate serves on this machine's CPU cores only: expected 0 GPUs");
  if (s.service.type != ServiceSpec::Type::model)
    throw InputError("service.type", "recsim validate runs a model's kernels: expected \"model\"");
  if (s.scheduler.policy != "static" && s.scheduler.policy != "cpu-only")
    throw InputError("scheduler.policy", "recsim validate serves with the static split: expected \"static\" or \"cpu-only\", got \"" +
                                             s.scheduler.policy + "\"");
  if (s.arrival.process != ArrivalSpec::Process::poisson)
    throw InputError("workload.arrival.process", "recsim validate issues Poisson arrivals: expected \"poisson\"");
  if (!s.service.table_rows.empty())
    throw InputError("service.table_rows", "recsim validate serves the tables the profile was calibrated with: remove table_rows");
}

// The first `n` queries the simulator sees at `qps` (the same streams as its load generator).
std::vector<QueryArrival> query_stream(const Scenario& s, double qps, std::size_t n) {
  auto source = make_synthetic_source(PoissonArrivals(qps, make_stream(s.seed, StreamId::arrivals)), make_query_sizes(s.query_size),
                                      make_stream(s.seed, StreamId::query_sizes));
  std::vector<QueryArrival> out(n);
  for (auto& q : out) source->next(q);
  return out;
}

// Timed work of each drift check (the profile's point at the largest request, timed again).
constexpr double kReferenceSeconds = 0.5;

// How far the simulated p95 moves by the requests' own variation alone: the same queries simulated
// with `draws` independent draws of it (the first the scenario seed's). Another run of the same
// length falls inside the range of n exchangeable runs with probability (n - 1) / (n + 1).
struct DrawRange {
  int draws = 0;
  double low = 0.0, high = 0.0;
  bool contains(double v) const { return v >= low && v <= high; }
};

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

struct Level {
  double load = 0, qps = 0;
  RunResults simulated;
  DrawRange simulated_p95;             // the simulated p95 over draws of the requests' own variation
  RealServingResult real;
  RunResults replayed;                 // simulated with the served times per request size
  double served_ms_per_request = 0.0;  // the measured queries' requests, real
  double profile_ms_per_request = 0.0; // the same requests at the profile's back-to-back times
  double reference_ms = 0.0;           // the profile's point at the largest request, timed just before serving
  ServiceCheck check;                  // the service-time model against each real request's time on its core
  OrderReplay order;                   // the real requests' times replayed in their order and shuffled
};

// The scenario served at the times real serving measured: a table service of the mean worker time
// per request size. Its error against real serving is the queueing model's own; the rest of the
// simulation's error is the profile's (calibration against serving conditions).
Scenario with_served_times(Scenario s, const std::map<int, ServedRequests>& served) {
  s.service.type = ServiceSpec::Type::table;
  s.service.batch_ms.clear();
  for (const auto& [items, r] : served)
    if (r.requests > 0) s.service.batch_ms.emplace_back(items, r.mean_seconds() * 1e3);
  return s;
}

json percentiles_json(double p50, double p95, double p99) { return {{"p50", p50}, {"p95", p95}, {"p99", p99}}; }

double error_of(double simulated, double real) { return real > 0 ? (simulated - real) / real : 0.0; }

constexpr double kMinValidateLoad = 0.01;

int execute(const ValidateFlags& f) {
  const std::vector<double> loads = parse_open_interval_list("--loads", f.loads, 0.0, 1.0);
  // The real run serves its queries in real time: at a load of x it lasts about 1/x times the
  // queries' service time. Below 1% that is hours for nothing a validation can use (and a load
  // near zero overflowed the real load generator's clock).
  for (const double load : loads)
    if (load < kMinValidateLoad) {
      char text[160];
      std::snprintf(text, sizeof text, "expected loads of at least 0.01 (the real run lasts about 1/load times its queries' service time), got %g", load);
      throw InputError("--loads", text);
    }
  const int usable = usable_cpus();
  const int cores = f.cores > 0 ? f.cores : usable;
  if (cores > usable)
    throw InputError("--cores", "expected at most the " + std::to_string(usable) + " CPUs this process may use, got " + std::to_string(cores));
  std::vector<std::string> sets = f.sets;
  sets.push_back("platform.servers.0.cpu_cores=" + std::to_string(cores));
  // One serving core has no other core busy beside it: no contention to measure or apply.
  if (cores == 1) sets.push_back("service.contention=false");
  sets.push_back("run.queries=" + std::to_string(f.queries));
  sets.push_back("run.warmup_queries=" + std::to_string(f.queries / 10));
  const Scenario given = load_scenario(f.scenario, f.sets);
  check_servable(given);
  const ModelSpec spec = load_model_spec(model_file(given.service.model));
  std::vector<std::string> inputs = given.input_files();
  if (!f.profile.empty()) inputs.push_back(f.profile);
  if (!f.out.empty()) check_output_path("--out", f.out, inputs);
  if (!f.profile_out.empty()) check_output_path("--profile-out", f.profile_out, inputs);
  if (!f.profile.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(f.profile, ec)) throw InputError("--profile", "no such file: \"" + f.profile + "\"");
    const LatencyProfile p = load_latency_profile(f.profile);
    if (p.device != "cpu") throw InputError("--profile", "expected a CPU profile, got device \"" + p.device + "\"");
    if (!p.models.count(spec.name)) throw InputError("--profile", "has no model \"" + spec.name + "\"");
  }
  // Every request size the split makes: the batch size and the remainders below it.
  const int batch = given.scheduler.batch_size;
  const int largest_request = std::min(batch, given.query_size.largest());
  if (f.validate_only) return kExitDone;

  // 1. The profile: the one given, or the model calibrated here now (batch sizes up to the largest
  // request, contention with every serving core busy).
  std::string profile_path = f.profile;
  std::string temporary;
  json calibration = nullptr;
  if (profile_path.empty()) {
    CpuCalibrationOptions o;
    for (int b : default_batch_ladder())
      if (b <= largest_request) o.batches.push_back(b);
    if (o.batches.empty() || o.batches.back() < largest_request) o.batches.push_back(largest_request);
    o.instances = cores;
    for (int l = 2; l < cores; ++l) o.levels.push_back(l);  // every contention level the serving cores allow
    o.after_idle_gaps_ms = default_after_idle_gaps_ms();  // recsim calibrate's defaults: requests that find a core idle
    if (!f.quiet) std::fprintf(stderr, "validate: calibrating %s on this machine (%zu batch sizes, %d cores busy for contention)\n",
                               spec.name.c_str(), o.batches.size(), cores);
    const LatencyProfile profile = measure_cpu_profile({spec}, o, "all", f.command_line, f.quiet);
    if (f.profile_out.empty()) {
      temporary = (std::filesystem::temp_directory_path() / ("recsim-validate-" + std::to_string(::getpid()) + ".profile.json")).string();
      profile_path = temporary;
    } else {
      profile_path = f.profile_out;
    }
    write_latency_profile(profile, profile_path);
    calibration = {{"profile", f.profile_out.empty() ? json(nullptr) : json(f.profile_out)},
                   {"batches", o.batches},
                   {"provenance", profile.provenance}};
  }
  struct RemoveTemporary {
    std::string path;
    ~RemoveTemporary() {
      std::error_code ec;
      if (!path.empty()) std::filesystem::remove(path, ec);
    }
  } cleanup{temporary};
  sets.push_back("service.profile=" + std::filesystem::absolute(profile_path).string());
  const Scenario scenario = load_scenario(f.scenario, sets);
  const double rows_scale = load_latency_profile(profile_path).models.at(spec.name).rows_scale;

  // 2. The simulated capacity of the served server.
  CapacityOptions co;
  co.jobs = f.jobs > 0 ? f.jobs : usable;
  const CapacityResult capacity = find_capacity(scenario, co, isolated_evaluator(co.jobs));
  if (!capacity.found || capacity.max_qps <= 0)
    throw std::runtime_error("the simulated capacity was not found (" + capacity.note + "): nothing to validate against");
  if (!f.quiet) std::fprintf(stderr, "validate: simulated capacity %.6g qps (p%g <= %g ms)\n", capacity.max_qps, scenario.sla.percentile,
                             scenario.sla.target_ms);

  // 3. Real and simulated at each load, on the same queries. The sizes are drawn from their own
  // stream, the same at every rate, so one set of kernels and inputs serves every load.
  std::map<int, std::uint64_t> requests_by_size;
  const StaticPolicy split(batch);
  for (const auto& q : query_stream(scenario, capacity.max_qps, scenario.run.queries))
    for (int r = 0; r < split.request_count(q.size); ++r) ++requests_by_size[split.request_items(q.size, r)];
  const auto weights = std::make_shared<const ModelWeights>(make_model_weights(spec, rows_scale, 1));
  const WorkFactory work = model_work(weights, 1, requests_by_size, kInputBytes);  // the calibration's bound on drawn inputs
  // The machine's drift: the profile's point at the largest request timed again, the calibration's
  // way, right before each load is served and after the last.
  CpuPointTimer reference(weights, largest_request, 2);
  const double profile_reference_ms = scenario.service.curve->seconds_at(largest_request) * 1e3;
  auto time_reference = [&] { return reference.measure(15, kReferenceSeconds, 100000).median_ms; };
  auto drift = [&](double reference_ms) { return error_of(reference_ms, profile_reference_ms); };  // now against the profile
  std::vector<Level> levels;
  for (double load : loads) {
    Level l;
    l.load = load;
    l.qps = load * capacity.max_qps;
    Scenario s = scenario;
    s.arrival.qps = l.qps;
    l.simulated = simulate_isolated(s);
    l.simulated_p95 = p95_over_draws(s, l.simulated, f.draws, co.jobs);
    const std::vector<QueryArrival> queries = query_stream(s, l.qps, s.run.queries);
    if (!f.quiet) std::fprintf(stderr, "validate: serving %llu queries at %.6g qps (%.0f%% of capacity) for real, about %.0f s\n",
                               static_cast<unsigned long long>(queries.size()), l.qps, 100 * load,
                               queries.back().time - queries.front().time);
    l.reference_ms = time_reference();
    RealServingOptions ro;
    ro.cores = cores;
    ro.batch_size = batch;
    ro.warmup_queries = s.run.warmup_queries;
    l.real = serve_real(queries, ro, work);
    std::uint64_t requests = 0;
    double served = 0.0, profiled = 0.0;
    for (const auto& [items, r] : l.real.served_by_items) {
      requests += r.requests;
      served += r.seconds;
      profiled += static_cast<double>(r.requests) * scenario.service.curve->seconds_at(items);
    }
    if (requests > 0) {
      l.served_ms_per_request = served / static_cast<double>(requests) * 1e3;
      l.profile_ms_per_request = profiled / static_cast<double>(requests) * 1e3;
      l.replayed = simulate_isolated(with_served_times(s, l.real.served_by_items));
    }
    const std::vector<CheckedRequest> checked = checked_requests(l.real, *make_service_model(s.service), cores);
    l.check = check_service(checked, s.run.warmup_queries);
    l.order = replay_in_order_and_shuffled(checked, cores, s.run.warmup_queries, f.draws, s.seed);
    l.real.served_log.clear();  // not reported: bounded memory over the loads
    l.real.served_log.shrink_to_fit();
    levels.push_back(std::move(l));
  }

  const double reference_after_ms = levels.empty() ? 0.0 : time_reference();

  // 4. The report.
  json rows = json::array();
  std::string table =
      "  load      qps |  simulated p50    p95    p99 ms |  real p50    p95    p99 ms | p95 error | simulated p95 over draws\n";
  std::string causes =
      "  where the p95 error comes from: the profile's time per request against the served one, and the\n"
      "  simulation replayed with the served times per request size (the queueing model's own error); the real\n"
      "  requests' own times through the queue, in their order and with their deviations from the model shuffled\n"
      "  (what the real p95 owes to when the machine was slow, not how slow)\n"
      "  load | ms per request: profile  served  error | replayed p95 ms  error | real times p95 ms: in order, shuffled"
      " | machine vs profile\n";
  std::string checks =
      "  the service-time model against each request's time on its core as served (wake-up and hand-over included)\n"
      "  load | ms per request, model / real (error) for all, spread | found the core idle   | queued, warm size     | queued, cold size\n"
      "  (spread: the standard deviation of ln(real / model) over the requests: one request's own variation)\n";
  for (const auto& l : levels) {
    const auto& sim = *l.simulated.latency_ms;
    const std::optional<MachineShift> shift = machine_shift(l.check, drift(l.reference_ms));
    const double r50 = l.real.latency.percentile(50) * 1e3, r95 = l.real.latency.percentile(95) * 1e3,
                 r99 = l.real.latency.percentile(99) * 1e3;
    rows.push_back({{"load", l.load},
                    {"qps", l.qps},
                    {"simulated_ms", percentiles_json(sim.p50, sim.p95, sim.p99)},
                    {"simulated_p95_range", {{"draws", l.simulated_p95.draws},
                                             {"low_ms", l.simulated_p95.low},
                                             {"high_ms", l.simulated_p95.high},
                                             {"real_inside", l.simulated_p95.contains(r95)}}},
                    {"real_ms", percentiles_json(r50, r95, r99)},
                    {"error", {{"p50", error_of(sim.p50, r50)}, {"p95", error_of(sim.p95, r95)}, {"p99", error_of(sim.p99, r99)}}},
                    {"simulated_cpu_utilization", l.simulated.cpu_utilization},
                    {"service_ms_per_request", {{"profile", l.profile_ms_per_request},
                                                {"served", l.served_ms_per_request},
                                                {"error", error_of(l.profile_ms_per_request, l.served_ms_per_request)}}},
                    {"served_by_items", [&] {
                       // Each request size served: how many, their mean time, the profile's back-to-back time.
                       json sizes = json::array();
                       for (const auto& [items, r] : l.real.served_by_items)
                         if (r.requests > 0)
                           sizes.push_back({{"items", items}, {"requests", r.requests},
                                            {"mean_ms", r.seconds / static_cast<double>(r.requests) * 1e3},
                                            {"profile_ms", scenario.service.curve->seconds_at(items) * 1e3}});
                       return sizes;
                     }()},
                    {"service_check", [&] {
                       // The service-time model request by request: by group, count, mean real and model ms.
                       auto group = [](const ServiceCheckGroup& g) {
                         return json{{"requests", g.requests}, {"real_ms", g.real_mean_ms()}, {"model_ms", g.model_mean_ms()},
                                     {"error", g.error()}, {"spread", g.spread()}};
                       };
                       return json{{"all", group(l.check.all)},
                                   {"idle_warm", group(l.check.idle_warm)},
                                   {"idle_cold", group(l.check.idle_cold)},
                                   {"busy_warm", group(l.check.busy_warm)},
                                   {"busy_cold", group(l.check.busy_cold)}};
                     }()},
                    {"machine_drift", {{"reference_ms", l.reference_ms}, {"change", drift(l.reference_ms)}}},
                    // The machine at another speed than at calibration (service_check.h, machine_shift), not the model.
                    {"machine_moved", shift ? json{{"model_error", shift->model_error},
                                                   {"evidence", shift->by_reference ? "reference and main groups" : "every group"}}
                                            : json(nullptr)},
                    {"replayed_ms", l.replayed.latency_ms ? percentiles_json(l.replayed.latency_ms->p50, l.replayed.latency_ms->p95,
                                                                             l.replayed.latency_ms->p99)
                                                          : json(nullptr)},
                    {"replayed_error", l.replayed.latency_ms ? json({{"p50", error_of(l.replayed.latency_ms->p50, r50)},
                                                                     {"p95", error_of(l.replayed.latency_ms->p95, r95)},
                                                                     {"p99", error_of(l.replayed.latency_ms->p99, r99)}})
                                                             : json(nullptr)},
                    // The real requests' own times through the queue: in their order, and with their deviations from the
                    // model shuffled over the run (what a model of independent per-request variation can reproduce).
                    {"order_replay", {{"in_order_p95_ms", l.order.in_order_p95_ms},
                                      {"shuffled_p95", {{"draws", l.order.draws},
                                                        {"low_ms", l.order.shuffled_low_ms},
                                                        {"high_ms", l.order.shuffled_high_ms}}}}},
                    {"real", {{"measured", l.real.measured},
                              {"throughput_qps", l.real.throughput_qps},
                              {"busy_fraction", l.real.busy_fraction},
                              {"mean_issue_lag_ms", l.real.mean_issue_lag_ms},
                              {"max_issue_lag_ms", l.real.max_issue_lag_ms},
                              {"wall_seconds", l.real.wall_seconds}}}});
    char line[256];
    std::snprintf(line, sizeof line, "  %4.0f%% %8.6g |  %13.4g %6.4g %6.4g    | %9.4g %6.4g %6.4g    | %+8.1f%% | %.4g-%.4g%s\n",
                  100 * l.load, l.qps, sim.p50, sim.p95, sim.p99, r50, r95, r99, 100 * error_of(sim.p95, r95), l.simulated_p95.low,
                  l.simulated_p95.high, l.simulated_p95.contains(r95) ? " (real inside)" : "");
    table += line;
    if (l.replayed.latency_ms) {
      char order[64];
      std::snprintf(order, sizeof order, "%.4g, %.4g-%.4g", l.order.in_order_p95_ms, l.order.shuffled_low_ms, l.order.shuffled_high_ms);
      std::snprintf(line, sizeof line, "  %3.0f%% |               %9.4g %7.4g %+6.1f%% | %15.4g %+6.1f%% | %-37s | %+.1f%%\n",
                    100 * l.load, l.profile_ms_per_request, l.served_ms_per_request,
                    100 * error_of(l.profile_ms_per_request, l.served_ms_per_request), l.replayed.latency_ms->p95,
                    100 * error_of(l.replayed.latency_ms->p95, r95), order, 100 * drift(l.reference_ms));
      causes += line;
    }
    ServiceCheckGroup idle = l.check.idle_warm;
    idle.add(l.check.idle_cold);
    auto cell = [](const ServiceCheckGroup& g) {
      char c[64];
      std::snprintf(c, sizeof c, "%.3g / %.3g (%+.0f%%)", g.model_mean_ms(), g.real_mean_ms(), 100 * g.error());
      return std::string(c);
    };
    char spread[16];
    std::snprintf(spread, sizeof spread, ", %.2f", l.check.all.spread());
    const std::string all = cell(l.check.all) + spread;
    std::snprintf(line, sizeof line, "  %3.0f%% | %-49s | %-21s | %-21s | %s\n", 100 * l.load, all.c_str(),
                  cell(idle).c_str(), cell(l.check.busy_warm).c_str(), cell(l.check.busy_cold).c_str());
    checks += line;
    if (shift) {
      std::snprintf(line, sizeof line, "  %3.0f%% | %s (at least %+.0f%%): the machine ran %s than when the profile was measured\n",
                    100 * l.load,
                    shift->by_reference ? "the found-idle and queued warm groups off as the reference timing moved"
                                        : "every group off alike",
                    100 * shift->model_error, shift->model_error < 0 ? "slower" : "faster");
      checks += line;
    }
  }
  std::vector<int> pinned = levels.empty() ? std::vector<int>{} : levels.front().real.cpus;
  json document = {{"scenario", scenario.name},
                   {"model", spec.name},
                   {"cores", cores},
                   {"batch_size", batch},
                   {"queries_per_load", scenario.run.queries},
                   {"draws", f.draws},
                   {"capacity_qps", capacity.max_qps},
                   {"sla", {{"percentile", scenario.sla.percentile}, {"target_ms", scenario.sla.target_ms}}},
                   {"profile", f.profile.empty() ? json(nullptr) : json(f.profile)},
                   {"calibration", calibration},
                   {"pinned_cpus", pinned},
                   {"generator_cpu", levels.empty() || levels.front().real.generator_cpu < 0 ? json(nullptr) : json(levels.front().real.generator_cpu)},
                   {"host_cpu_model", host_cpu_model()},
                   {"drift_check", {{"batch", largest_request},
                                    {"profile_ms", profile_reference_ms},
                                    {"after_last_load_ms", levels.empty() ? json(nullptr) : json(reference_after_ms)},
                                    {"after_last_load_change", levels.empty() ? json(nullptr) : json(drift(reference_after_ms))}}},
                   {"loads", rows}};
  document["provenance"] = provenance_json(scenario);
  if (!f.out.empty()) write_file_atomically(f.out, document.dump(2) + "\n");
  if (!f.quiet) {
    std::printf("recsim validate: %s on %d cores of this machine (%s), batch %d, %d queries per load\n", spec.name.c_str(), cores,
                host_cpu_model().c_str(), batch, static_cast<int>(scenario.run.queries));
    if (!levels.empty() && levels.front().real.generator_cpu >= 0)
      std::printf("  load generator pinned to CPU %d, apart from the workers\n", levels.front().real.generator_cpu);
    std::printf("  simulated capacity %.6g qps (p%g <= %g ms)\n", capacity.max_qps, scenario.sla.percentile, scenario.sla.target_ms);
    std::fputs(table.c_str(), stdout);
    std::fputs(causes.c_str(), stdout);
    std::fputs(checks.c_str(), stdout);
    if (!levels.empty())
      std::printf("  (machine: the profile's %d-item point, %.4g ms, timed again the calibration's way before each load; "
                  "after the last: %+.1f%%)\n",
                  largest_request, profile_reference_ms, 100 * drift(reference_after_ms));
  }
  return kExitDone;
}

}  // namespace

void add_validate_command(CLI::App& app, std::function<int()>& run, const std::string& command_line) {
  auto f = std::make_shared<ValidateFlags>();
  f->command_line = command_line;
  auto* cmd = app.add_subcommand("validate", "Serve the scenario's model for real on this machine and compare with the simulation");
  cmd->add_option("scenario", f->scenario, "Scenario JSON file (one server, CPU only, a model service, the static split)")
      ->required()
      ->check(non_empty());
  cmd->add_option("--profile", f->profile, "Use this CPU profile instead of calibrating the model here first")->check(non_empty());
  cmd->add_option("--profile-out", f->profile_out, "Keep the profile calibrated here in FILE (atomically)")->check(non_empty());
  cmd->add_option("--cores", f->cores, "Serving cores, one pinned worker each (default: the CPUs this process may use)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--loads", f->loads, "Fractions of the simulated capacity to serve at, each in [0.01, 1) (default 0.3,0.6,0.85)")->check(non_empty());
  cmd->add_option("--queries", f->queries, "Queries per load, a tenth of them warm-up (default 5000)")->check(CLI::Range(100, 10000000));
  cmd->add_option("--draws", f->draws,
                  "Simulate each load's queries with this many draws of the requests' own variation, and replay the real "
                  "requests' times with this many shufflings of their deviations; report the p95's ranges (default 20)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--set", f->sets, "Override a scenario value before validation: PATH=VALUE (repeatable)")
      ->allow_extra_args(false)
      ->check(non_empty());
  cmd->add_option("--out", f->out, "Write the validation JSON to FILE (atomically)")->check(non_empty());
  cmd->add_option("--jobs", f->jobs, "Simulations run at once in the capacity search (default: the CPUs this process may use)")
      ->check(CLI::Range(1, 1024));
  cmd->add_flag("--quiet", f->quiet, "Print nothing on success");
  cmd->add_flag("--validate-only", f->validate_only,
                "Check the scenario and the flags (exit 2 with one line if invalid), then exit 0 without running");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
