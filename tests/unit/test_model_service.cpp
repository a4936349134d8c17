// Service times from a calibrated profile (`service.type: "model"`): interpolation, the busy-server
// contention factor, and the profile's validation, on a synthetic profile.
#include "kernels/model/model_spec.h"
#include "support/build_paths.h"
#include "kernels/profiles/latency_profile.h"
#include "sim/engine/isolated_run.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/service/service_time_model.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"

#include "sim/scenario/profile_shape.h"
#include "sim/search/capacity_search.h"
#include "sim/sweep/sweep_spec.h"
#include "support/cli_runner.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

using namespace recsim;
using namespace recsim::test;

namespace {

// Model "m": 1 ms per item alone (1 ms at batch 1, 4 ms at 4, 64 ms at 64); with every core busy,
// twice that at batch 1 and 4 and 1.5 times at 64.
nlohmann::json synthetic_profile(const std::string& device = "cpu", bool with_contention = true) {
  auto points = [](std::initializer_list<std::pair<int, double>> pts) {
    auto a = nlohmann::json::array();
    for (auto [b, ms] : pts) a.push_back({{"batch", b}, {"median", ms}});
    return a;
  };
  nlohmann::json m = {{"rows_scale", 1.0}, {"latency_ms", points({{1, 1.0}, {4, 4.0}, {64, 64.0}})}};
  if (with_contention)
    m["contention"] = {{"instances", 2}, {"latency_ms", points({{1, 2.0}, {4, 8.0}, {64, 96.0}})}};
  return {{"format", "recsim-profile/1"},
          {"device", device},
          {"source", "measured"},
          {"provenance", {{"note", "synthetic, for tests"}}},
          {"models", {{"m", m}}}};
}

// One server of `cores` cores replaying `trace`, service from the profile in `dir`.
nlohmann::json model_document(const TempDir& dir, const std::string& trace, int cores, int batch) {
  auto doc = mmc_document(cores, 1.0, 1.0, 1, 0);
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", trace}}}};
  doc["service"] = {{"type", "model"}, {"model", "m"}, {"profile", "profile.json"}};
  doc["scheduler"]["batch_size"] = batch;
  doc["run"] = nlohmann::json::object();
  (void)dir;
  return doc;
}

}  // namespace

TEST_CASE("profiled service interpolates the profile and scales by busy cores", "[service][model]") {
  const LatencyCurve alone({{1, 1e-3}, {4, 4e-3}, {64, 64e-3}});
  const LatencyCurve busy({{1, 2e-3}, {4, 8e-3}, {64, 96e-3}});
  const auto service = make_profiled_service(alone, busy);
  Rng rng = make_stream(1, StreamId::service);
  CHECK(service->sample_seconds(34, rng) == Approx(34e-3));  // halfway between 4 and 64
  CHECK(service->mean_seconds(2) == Approx(2e-3));
  CHECK(service->contention_factor(4, 0.0, 16) == Approx(1.0));
  CHECK(service->contention_factor(4, 1.0, 16) == Approx(2.0));
  CHECK(service->contention_factor(4, 0.5, 16) == Approx(1.5));
  CHECK(service->contention_factor(64, 1.0, 16) == Approx(1.5));
  CHECK(service->contention_factor(34, 1.0, 16) == Approx(52e-3 / 34e-3));  // both curves interpolated: (8 + 88/2) / (4 + 60/2)
  CHECK(make_profiled_service(alone, std::nullopt)->contention_factor(4, 1.0, 16) == 1.0);
  // A busy curve below the alone curve speeds requests up: the profile keeps such points only where
  // they are significant (next test).
  const auto faster = make_profiled_service(alone, LatencyCurve({{1, 0.9e-3}, {64, 60e-3}}));
  CHECK(faster->contention_factor(1, 1.0, 16) == Approx(0.9));
}

TEST_CASE("a profile keeps a contention speed-up only beyond 3 standard errors of the medians", "[service][model]") {
  // Alone: median 1 ms, p10-p90 spread 0.2563 ms, so each median's standard error is
  // 1.2533 * 0.1 / sqrt(n); with 100 samples on both sides the difference's is 0.017725 ms.
  auto point = [](int batch, double median, int samples) {
    LatencyPoint p;
    p.batch = batch;
    p.median_ms = median;
    p.p10_ms = median - 0.12815;
    p.p90_ms = median + 0.12815;
    p.samples = samples;
    return p;
  };
  LatencyProfile profile;
  profile.device = "cpu";
  ModelLatency& m = profile.models["m"];
  m.single = {point(1, 1.0, 100), point(2, 1.0, 100), point(4, 1.0, 100), point(8, 1.0, 100)};
  m.contention_instances = 2;
  // 0.95: 2.8 standard errors below (noise); 0.94: 3.4 below (kept); 1.1 above (kept); no samples (computed).
  m.contention = {point(1, 0.95, 100), point(2, 0.94, 100), point(4, 1.1, 100), point(8, 0.5, 0)};
  m.after_idle = {{2.0, m.contention, m.contention}};
  m.cold_size = m.contention;
  const auto idle = profile.after_idle_curves("m");
  REQUIRE(idle.size() == 1);
  for (const auto& curve : {*profile.contention_curve("m"), idle[0].first, *idle[0].next, *profile.cold_size_curve("m")}) {
    CHECK(curve.seconds_at(1) == Approx(1.0e-3));
    CHECK(curve.seconds_at(2) == Approx(0.94e-3));
    CHECK(curve.seconds_at(4) == Approx(1.1e-3));
    CHECK(curve.seconds_at(8) == Approx(1.0e-3));
  }
}

TEST_CASE("a model scenario takes its service times from the profile", "[service][model][engine]") {
  TempDir dir;
  dir.write_json("profile.json", synthetic_profile());
  // One query of 8 items split into two requests of 4.
  const auto trace = dir.write("t.csv", "0,8\n");
  SECTION("one core: no other core is ever busy, 4 + 4 ms") {
    const auto r = simulate_isolated(scenario_from(model_document(dir, trace, 1, 4), dir.path()));
    CHECK(r.latency_ms->max == Approx(8.0).epsilon(1e-3));
    CHECK(r.service_type == "model");
    CHECK(r.service_model == "m");
    CHECK(r.service_source == "measured");
  }
  SECTION("two cores: the second request starts with the other core busy and runs at the all-busy latency") {
    const auto r = simulate_isolated(scenario_from(model_document(dir, trace, 2, 4), dir.path()));
    CHECK(r.latency_ms->max == Approx(8.0).epsilon(1e-3));
    CHECK(r.requests_simulated == 2);
  }
  SECTION("three cores: one other of two busy, half the slowdown") {
    const auto r = simulate_isolated(scenario_from(model_document(dir, trace, 3, 4), dir.path()));
    CHECK(r.latency_ms->max == Approx(6.0).epsilon(1e-3));
  }
  SECTION("contention off: every request at the alone latency") {
    auto doc = model_document(dir, trace, 2, 4);
    doc["service"]["contention"] = false;
    const auto r = simulate_isolated(scenario_from(doc, dir.path()));
    CHECK(r.latency_ms->max == Approx(4.0).epsilon(1e-3));
  }
}

TEST_CASE("model service: invalid profiles and references are named", "[service][model][errors]") {
  TempDir dir;
  const auto trace = dir.write("t.csv", "0,8\n");
  auto doc = model_document(dir, trace, 2, 4);
  const std::string profile = dir.file("profile.json");

  dir.write_json("profile.json", synthetic_profile());
  CHECK(scenario_error(doc, dir.path()) == "valid");

  doc["service"]["model"] = "dlrm-rmc1";
  CHECK(scenario_error(doc, dir.path()) == "service.model: the profile has no model \"dlrm-rmc1\" (it has: m)");
  doc["service"]["model"] = "m";

  dir.write_json("profile.json", synthetic_profile("gpu"));
  CHECK(scenario_error(doc, dir.path()) == "service.profile: expected a CPU profile (\"device\": \"cpu\"), got \"gpu\"");

  dir.write_json("profile.json", synthetic_profile("cpu", false));
  CHECK(scenario_error(doc, dir.path()) ==
        "service.contention: the profile has no contention measurement for \"m\"; set it to false");
  doc["service"]["contention"] = false;
  CHECK(scenario_error(doc, dir.path()) == "valid");

  auto bad = synthetic_profile();
  bad["models"]["m"]["latency_ms"][1]["batch"] = 1;
  dir.write_json("profile.json", bad);
  CHECK(scenario_error(doc, dir.path()) == profile + ": models.m.latency_ms.1.batch: batch sizes must increase strictly");

  bad = synthetic_profile();
  bad["format"] = "recsim-profile/0";
  dir.write_json("profile.json", bad);
  CHECK(scenario_error(doc, dir.path()) == profile + ": format: expected \"recsim-profile/1\"");

  bad = synthetic_profile();
  bad["models"]["m"]["latency_ms"][0]["median"] = -1;
  dir.write_json("profile.json", bad);
  CHECK(scenario_error(doc, dir.path()) == profile + ": models.m.latency_ms.0.median: expected a number in (0, 1e+09], got -1");

  doc["service"]["profile"] = "missing.json";
  CHECK(scenario_error(doc, dir.path()).rfind("service.profile: ", 0) == 0);
}

TEST_CASE("every shipped scenario is valid, and each model has one on the shipped CPU profile", "[scenario][shipped]") {
  namespace fs = std::filesystem;
  const fs::path root = recsim::test::source_dir();
  int models = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root / "scenarios")) {
    if (entry.path().extension() != ".json") continue;
    if (entry.path().parent_path().filename() == "expected") continue;  // the suite's expected results
    if (entry.path().parent_path().filename() == "plans") continue;     // plan files: tests/unit/test_plan.cpp
    CAPTURE(entry.path().string());
    if (entry.path().parent_path().filename() == "sweeps") {  // sweep files: every point's scenario is valid
      const SweepSpec sweep = load_sweep(entry.path().string());
      CHECK(sweep.points.size() > 1);
      for (const auto& p : sweep.points) CHECK_NOTHROW(load_scenario(sweep.scenario, p.sets));
      continue;
    }
    const Scenario s = load_scenario(entry.path().string(), {});
    if (entry.path().parent_path().filename() == "models") {
      ++models;
      CHECK(s.fleet.models.front().first_service().type == "model");
      CHECK(s.fleet.models.front().first_service().model == entry.path().stem().string());
      CHECK(s.fleet.models.front().first_service().profile_source == "measured");
      CHECK(s.fleet.models.front().first_service().contention_curve.has_value());
    }
  }
  CHECK(models == static_cast<int>(shipped_model_names().size()));  // one per shipped model
}

TEST_CASE("a CPU profile on more cores than it was measured with busy: one note line on stderr, after the answer", "[scenario][profile-shape]") {
  const std::string scenario = recsim::test::source_dir() + "/scenarios/models/dlrm-rmc1.json";
  const Scenario s = load_scenario(scenario, {});
  REQUIRE(s.fleet.models.front().first_service().profile_busy_cores == 2);
  CHECK(s.fleet.models.front().first_service().profile_cpu_model == "AMD EPYC");
  const auto warnings = profile_shape_warnings(s);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "platform.servers.0 has 16 cores, but its CPU profile " + s.fleet.models.front().first_service().profile_file +
                           " was measured on AMD EPYC with at most 2 cores busy at once: the contention of 16 busy cores is "
                           "extrapolated from that, not measured");
  CHECK(profile_shape_warnings(load_scenario(scenario, {"platform.servers.0.cpu_cores=2"})).empty());
  const auto r = recsim::test::run_recsim({"run", scenario, "--set", "run.queries=2000", "--set", "run.warmup_queries=200"});
  CHECK(r.status == 0);
  CHECK(r.err == "recsim: note: " + warnings[0] + "\n");
  CHECK(r.out.find("SLA") != std::string::npos);  // the answer is on stdout, flushed before the note
  const auto quiet = recsim::test::run_recsim({"run", scenario, "--set", "run.queries=2000", "--set", "run.warmup_queries=200", "--quiet"});
  CHECK(quiet.err.empty());
}

TEST_CASE("a rate above the contended capacity is saturated, whatever the run length and the SLA", "[service][model][capacity]") {
  // Requests of 4 items: 4 ms alone, 8 ms with the other core busy. Two cores serve 500 qps without
  // contention but only 250 qps with it. With an SLA far above the service time, a 5,000-query run
  // at 400 qps used to pass: its offered work counted at the alone latency was 0.8 of the cores.
  TempDir dir;
  dir.write_json("profile.json", synthetic_profile());
  auto doc = mmc_document(2, 400, 1.0, 5000, 500);
  doc["workload"]["query_size"] = {{"distribution", "fixed"}, {"value", 4}};
  doc["service"] = {{"type", "model"}, {"model", "m"}, {"profile", "profile.json"}};
  doc["scheduler"]["batch_size"] = 4;
  doc["sla"]["target_ms"] = 1e6;
  const auto above = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK(above.saturated);
  CHECK_FALSE(above.sla_met);
  CHECK(above.saturation_reason.rfind("offered load 1.", 0) == 0);
  // A capacity search's run (it watches its SLA) stops at the first check, 4,096 measured queries
  // in, where the offered load so far is beyond its sampling noise above 1.
  SimulationOptions watching;
  watching.stop_when_sla_missed = true;
  const auto cut = simulate_isolated(scenario_from(doc, dir.path()), watching);
  CHECK(cut.saturated);
  CHECK(cut.saturation_reason.find("after 4096 measured queries") != std::string::npos);
  CHECK(cut.saturation_reason.rfind("offered load 1.", 0) == 0);
  doc["workload"]["arrival"]["qps"] = 200;  // 0.8 of the contended capacity
  const auto below = simulate_isolated(scenario_from(doc, dir.path()));
  CHECK_FALSE(below.saturated);
  CHECK(below.sla_met);
  // The capacity search brackets the contended capacity, not the alone one.
  doc["workload"]["arrival"]["qps"] = 100;
  CapacityOptions options;
  options.precision = 0.02;
  const auto capacity = find_capacity(scenario_from(doc, dir.path()), options, isolated_evaluator(1));
  REQUIRE(capacity.found);
  CHECK(capacity.max_qps <= 250.0);
  CHECK(capacity.max_qps > 200.0);
}

TEST_CASE("a request that finds its core idle takes the profile's after-idle latency", "[service][model][after_idle]") {
  TempDir dir;
  auto profile = synthetic_profile();  // one core below: contention never applies
  profile["models"]["m"]["after_idle"] = {{"gap_ms", 2.0},
                                          {"latency_ms", {{{"batch", 1}, {"median", 1.5}}, {{"batch", 4}, {"median", 6.0}},
                                                          {{"batch", 64}, {"median", 96.0}}}}};
  dir.write_json("profile.json", profile);
  SECTION("one core: the first request of a query finds it idle (6 ms), the second follows it (4 ms)") {
    const auto trace = dir.write("t.csv", "0,8\n");
    const auto r = simulate_isolated(scenario_from(model_document(dir, trace, 1, 4), dir.path()));
    CHECK(r.latency_ms->max == Approx(10.0).epsilon(1e-3));
  }
  SECTION("a query arriving after the core went idle again starts cold again") {
    const auto trace = dir.write("t.csv", "0,4\n100,4\n");
    const auto r = simulate_isolated(scenario_from(model_document(dir, trace, 1, 4), dir.path()));
    CHECK(r.latency_ms->p50 == Approx(6.0).epsilon(1e-3));
    CHECK(r.latency_ms->max == Approx(6.0).epsilon(1e-3));
  }
  SECTION("after_idle off: every request at the back-to-back latency") {
    const auto trace = dir.write("t.csv", "0,8\n");
    auto doc = model_document(dir, trace, 1, 4);
    doc["service"]["after_idle"] = false;
    doc["service"]["contention"] = false;
    const auto r = simulate_isolated(scenario_from(doc, dir.path()));
    CHECK(r.latency_ms->max == Approx(8.0).epsilon(1e-3));
  }
  SECTION("the profile's after-idle points are checked") {
    profile["models"]["m"]["after_idle"]["gap_ms"] = 0;
    dir.write_json("bad.json", profile);
    try {
      load_latency_profile(dir.path() + "/bad.json");
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find("models.m.after_idle.gap_ms") != std::string::npos);
    }
  }
}

TEST_CASE("the after-idle slowdown follows the pause and lasts into the busy period", "[service][model][after_idle]") {
  // 1 ms per item alone; after 2 ms idle 1.5x then 1.2x; after 20 ms idle 2x then 1.5x.
  const LatencyCurve alone({{1, 1e-3}, {64, 64e-3}});
  const auto scaled = [](double r) { return LatencyCurve({{1, r * 1e-3}, {64, r * 64e-3}}); };
  std::vector<AfterIdleCurves> gaps = {{2.0, scaled(1.5), scaled(1.2)}, {20.0, scaled(2.0), scaled(1.5)}};
  const auto service = make_profiled_service(alone, std::nullopt, gaps);
  SECTION("at and below the shortest gap: its ratios; the excess shrinks as from the first run to the second") {
    for (double idle : {0.0, 0.0005, 0.002}) {
      const auto s = service->after_idle(8, idle);
      CHECK(s.first == Approx(1.5));
      CHECK(s.next == Approx(1.2));
      CHECK(s.decay == Approx(0.4));
    }
  }
  SECTION("between two gaps: linear in log pause; above the longest: its ratios") {
    const auto mid = service->after_idle(8, std::sqrt(0.002 * 0.020));  // halfway in log
    CHECK(mid.first == Approx(1.75));
    CHECK(mid.next == Approx(1.35));
    CHECK(mid.decay == Approx(0.35 / 0.75));
    const auto after_long = service->after_idle(8, 5.0);
    CHECK(after_long.first == Approx(2.0));
    CHECK(after_long.next == Approx(1.5));
    CHECK(after_long.decay == Approx(0.5));
  }
  SECTION("a second run as slow as the first decays at most by the cap; without second runs, no carry-over") {
    const auto flat = make_profiled_service(alone, std::nullopt, {{2.0, scaled(1.5), scaled(1.6)}});
    CHECK(flat->after_idle(8, 0.01).decay == Approx(kMaxAfterIdleDecay));
    const auto first_only = make_profiled_service(alone, std::nullopt, {{2.0, scaled(1.5), std::nullopt}});
    const auto s = first_only->after_idle(8, 0.01);
    CHECK(s.first == Approx(1.5));
    CHECK(s.next == 1.0);
    CHECK(s.decay == 0.0);
  }
  SECTION("cold sizes: the measured ratio up to the cold curve's largest size, none beyond") {
    const auto cold = make_profiled_service(alone, std::nullopt, {}, {}, 2, scaled(1.25));
    CHECK(cold->cold_size_factor(8) == Approx(1.25));
    CHECK(cold->cold_size_factor(64) == Approx(1.25));
    CHECK(cold->cold_size_factor(65) == 1.0);
    CHECK(cold->history_dependent());
  }
  SECTION("nothing measured: no slowdown") {
    const auto plain = make_profiled_service(alone, std::nullopt);
    const auto s = plain->after_idle(8, 0.01);
    CHECK(s.first == 1.0);
    CHECK(s.next == 1.0);
    CHECK(plain->cold_size_factor(8) == 1.0);
    CHECK_FALSE(plain->history_dependent());
  }
}

TEST_CASE("a server applies the after-idle carry-over and the cold-size slowdown per core", "[service][model][after_idle][cold_size]") {
  TempDir dir;
  auto profile = synthetic_profile();  // one core below: contention never applies
  const auto curve = [](double r) {
    return nlohmann::json::array({{{"batch", 1}, {"median", r}}, {{"batch", 64}, {"median", 64 * r}}});
  };
  SECTION("a query of four requests after a pause: 1.5x, then 1.2x, then the 0.2 excess times 0.4 per request") {
    profile["models"]["m"]["after_idle"] = {{{"gap_ms", 2.0}, {"latency_ms", curve(1.5)}, {"next_latency_ms", curve(1.2)}},
                                            {{"gap_ms", 20.0}, {"latency_ms", curve(2.0)}, {"next_latency_ms", curve(1.5)}}};
    dir.write_json("profile.json", profile);
    const auto trace = dir.write("t.csv", "0,16\n");
    const auto r = simulate_isolated(scenario_from(model_document(dir, trace, 1, 4), dir.path()));
    CHECK(r.latency_ms->max == Approx(4 * (1.5 + 1.2 + 1.08 + 1.032)).epsilon(1e-6));
    const LatencyProfile loaded = load_latency_profile(dir.path() + "/profile.json");
    REQUIRE(loaded.models.at("m").after_idle.size() == 2);
    CHECK(loaded.models.at("m").after_idle[1].next.size() == 2);
  }
  SECTION("a request of a size its core has not run among its last 12 requests pays the cold-size slowdown") {
    profile["models"]["m"]["cold_size_ms"] = curve(1.25);
    dir.write_json("profile.json", profile);
    // 6 items in requests of 4 and 2: both sizes new to the core, both cold.
    const auto one = dir.write("one.csv", "0,6\n");
    CHECK(simulate_isolated(scenario_from(model_document(dir, one, 1, 4), dir.path())).latency_ms->max ==
          Approx(6 * 1.25).epsilon(1e-6));
    // The second query's sizes ran one and two requests before: warm.
    const auto two = dir.write("two.csv", "0,6\n100,6\n");
    const auto r2 = simulate_isolated(scenario_from(model_document(dir, two, 1, 4), dir.path()));
    CHECK(r2.latency_ms->max == Approx(7.5).epsilon(1e-6));
    CHECK(r2.latency_ms->mean == Approx((7.5 + 6) / 2).epsilon(1e-6));
    // Queries of 1 to 13 items (one request each, all cold), then 1 (12 other sizes since: cold
    // again), then 13 (ran two requests before: warm).
    std::string trace;
    for (int k = 1; k <= 13; ++k) trace += std::to_string(100 * k) + "," + std::to_string(k) + "\n";
    trace += "1400,1\n1500,13\n";
    const auto many = dir.write("many.csv", trace);
    const auto r = simulate_isolated(scenario_from(model_document(dir, many, 1, 64), dir.path()));
    CHECK(r.latency_ms->mean == Approx((91 * 1.25 + 1.25 + 13) / 15).epsilon(1e-6));
    auto off = model_document(dir, two, 1, 4);
    off["service"]["cold_size"] = false;
    CHECK(simulate_isolated(scenario_from(off, dir.path())).latency_ms->max == Approx(6.0).epsilon(1e-6));
  }
  SECTION("the gaps must increase; the old single-gap object is still read") {
    profile["models"]["m"]["after_idle"] = {{{"gap_ms", 20.0}, {"latency_ms", curve(2.0)}}, {{"gap_ms", 2.0}, {"latency_ms", curve(1.5)}}};
    dir.write_json("bad.json", profile);
    try {
      load_latency_profile(dir.path() + "/bad.json");
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).find("models.m.after_idle.1.gap_ms: expected gaps increasing") != std::string::npos);
    }
    profile["models"]["m"]["after_idle"] = {{"gap_ms", 2.0}, {"latency_ms", curve(1.5)}};
    dir.write_json("old.json", profile);
    const LatencyProfile old = load_latency_profile(dir.path() + "/old.json");
    REQUIRE(old.models.at("m").after_idle.size() == 1);
    CHECK(old.models.at("m").after_idle[0].next.empty());
  }
}

TEST_CASE("contention measured at several levels is interpolated by the number of other cores busy", "[service][model][levels]") {
  // 1 ms per item alone; 1.2x with 2 instances at once, 2x with 4 (the top level).
  const LatencyCurve alone({{1, 1e-3}, {64, 64e-3}});
  const LatencyCurve two({{1, 1.2e-3}, {64, 76.8e-3}});
  const LatencyCurve four({{1, 2e-3}, {64, 128e-3}});
  const auto service = make_profiled_service(alone, four, {}, {{2, two}}, 4);
  // A 4-core server: 1, 2 and 3 others busy are the levels 2, between, and 4.
  CHECK(service->contention_factor(8, 1.0 / 3, 4) == Approx(1.2));
  CHECK(service->contention_factor(8, 2.0 / 3, 4) == Approx(1.6));
  CHECK(service->contention_factor(8, 1.0, 4) == Approx(2.0));
  // A 2-core server with its other core busy: the 2-instance level, measured (not 1/3 of the way to 4).
  CHECK(service->contention_factor(8, 1.0, 2) == Approx(1.2));
  // An 8-core server, larger than the top level: the measured range stretched over its 7 others.
  CHECK(service->contention_factor(8, 3.0 / 7, 8) == Approx(1.2 + 0.8 * (3.0 / 7 * 3 - 1) / 2));
  CHECK(service->contention_factor(8, 1.0, 8) == Approx(2.0));
  CHECK(service->contention_factor(8, 0.0, 8) == 1.0);
  // One level (the shipped profiles): the old rule, linear in the fraction of others busy.
  const auto one = make_profiled_service(alone, four, {}, {}, 2);
  CHECK(one->contention_factor(8, 0.25, 16) == Approx(1.25));
}

TEST_CASE("a profile's contention levels are read, checked and reach the scenario", "[service][model][levels]") {
  TempDir dir;
  auto profile = synthetic_profile();
  profile["models"]["m"]["contention"]["instances"] = 4;
  profile["models"]["m"]["contention_levels"] = {{{"instances", 2}, {"latency_ms", {{{"batch", 1}, {"median", 1.2}}, {{"batch", 64}, {"median", 70.0}}}}}};
  dir.write_json("profile.json", profile);
  const auto trace = dir.write("t.csv", "0,8\n");
  const Scenario s = scenario_from(model_document(dir, trace, 4, 4), dir.path());
  REQUIRE(s.fleet.models.front().first_service().contention_levels.size() == 1);
  CHECK(s.fleet.models.front().first_service().contention_levels[0].first == 2);
  CHECK(s.fleet.models.front().first_service().contention_instances == 4);
  const LatencyProfile p = load_latency_profile(dir.path() + "/profile.json");
  CHECK(profile_to_json(p)["models"]["m"]["contention_levels"][0]["instances"] == 2);
  profile["models"]["m"]["contention_levels"][0]["instances"] = 4;
  dir.write_json("bad.json", profile);
  try {
    load_latency_profile(dir.path() + "/bad.json");
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("models.m.contention_levels.0.instances: expected increasing levels from 2, below contention.instances (4)") !=
          std::string::npos);
  }
}

TEST_CASE("a profile's intra-op thread curves are read, checked and written back", "[service][model][intra-op]") {
  TempDir dir;
  auto profile = synthetic_profile();
  const nlohmann::json two = {{{"batch", 1}, {"median", 0.6}}, {{"batch", 64}, {"median", 33.0}}};
  profile["models"]["m"]["intra_op_threads"] = {{{"threads", 2}, {"latency_ms", two}}};
  dir.write_json("profile.json", profile);
  const LatencyProfile p = load_latency_profile(dir.path() + "/profile.json");
  REQUIRE(p.models.at("m").intra_op_threads.size() == 1);
  CHECK(p.models.at("m").intra_op_threads[0].first == 2);
  CHECK(profile_to_json(p)["models"]["m"]["intra_op_threads"][0]["latency_ms"][1]["median"] == 33.0);
  // The service at two threads: the one-thread draw times S_2(b) / S_1(b), here 0.6 at 1 item and
  // 33 / 64 at 64; the factors of one thread unchanged.
  const auto trace = dir.write("t.csv", "0,8\n");
  const Scenario s = scenario_from(model_document(dir, trace, 4, 4), dir.path());
  const ServiceSpec& spec = s.fleet.models.front().first_service();
  const auto one = make_service_model(spec), threaded = make_service_model(spec, 2);
  CHECK(threaded->mean_seconds(1) == Approx(0.6e-3).epsilon(1e-12));
  CHECK(threaded->mean_seconds(64) == Approx(33e-3).epsilon(1e-12));
  CHECK(threaded->contention_factor(4, 1.0, 4) == one->contention_factor(4, 1.0, 4));
  profile["models"]["m"]["intra_op_threads"] = {{{"threads", 1}, {"latency_ms", two}}};
  dir.write_json("bad.json", profile);
  try {
    load_latency_profile(dir.path() + "/bad.json");
    FAIL("accepted");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("models.m.intra_op_threads.0.threads: expected an integer in [2, 1000000], got 1") != std::string::npos);
  }
}
