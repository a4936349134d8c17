// Results over time (run.window_s, sim/metrics/time_series.h): exact windows of a deterministic
// load, windows that add up to the end-of-run figures, an SLA verdict per window that follows a
// diurnal load, the window histogram's accuracy, and the errors.
#include "sim/engine/isolated_run.h"
#include "sim/metrics/time_series_json.h"
#include "sim/metrics/window_histogram.h"
#include "sim/scenario/resource_estimate.h"
#include "support/cli_runner.h"
#include "support/gpu_scenarios.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"
#include "workloads/random_stream.h"

#include <boost/random/lognormal_distribution.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace recsim;
using namespace recsim::test;
using nlohmann::json;

namespace {

// 50 queries of 1 item at 1.5 + 2k ms, 1 ms each on one core, windows of 10 ms.
json deterministic_document(const TempDir& dir) {
  std::string trace = "arrival_ms,size\n";
  for (int k = 0; k < 50; ++k) trace += std::to_string(1.5 + 2.0 * k) + ",1\n";
  auto doc = mmc_document(1, 1.0, 1.0, 1, 0);
  doc["workload"] = {{"arrival", {{"process", "trace"}, {"file", dir.write("t.csv", trace)}}}};
  doc["service"] = {{"type", "deterministic"}, {"ms", 1.0}};
  doc["run"] = {{"window_s", 0.010}};
  return doc;
}

double sum_over(const TimeSeriesReport& s, double (*f)(const SeriesWindow&)) {
  double total = 0;
  for (const auto& w : s.windows) total += f(w);
  return total;
}

}  // namespace

TEST_CASE("window histogram: percentiles within half a bin, exact mean and extremes, exact merge", "[time-series]") {
  Rng rng = make_stream(9, StreamId::service);
  boost::random::lognormal_distribution<double> draw(std::log(2e-3), 1.0);
  std::vector<double> x(20000);
  WindowHistogram all, first, second;
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = draw(rng);
    sum += x[i];
    all.add(x[i]);
    (i % 3 == 0 ? first : second).add(x[i]);
  }
  std::sort(x.begin(), x.end());
  for (double p : {50.0, 90.0, 95.0, 99.0, 99.9}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(x.size()) - 1e-9));
    CHECK(all.percentile(p) == Approx(x[rank - 1]).epsilon(0.005));
  }
  CHECK(all.min() == x.front());
  CHECK(all.max() == x.back());
  CHECK(all.percentile(100) == Approx(x.back()).epsilon(0.005));
  CHECK(all.mean() == Approx(sum / static_cast<double>(x.size())).epsilon(1e-12));
  first.merge(second);
  CHECK(first.count() == all.count());
  CHECK(first.bins() == all.bins());
  for (double p : {1.0, 50.0, 99.0}) CHECK(first.percentile(p) == all.percentile(p));
  WindowHistogram empty;
  CHECK(empty.percentile(95) == 0.0);
}

TEST_CASE("time series: a deterministic load gives its windows exactly", "[time-series]") {
  TempDir dir;
  const RunResults r = simulate_isolated(scenario_from(deterministic_document(dir), dir.path()));
  REQUIRE(r.time_series);
  const TimeSeriesReport& s = *r.time_series;
  REQUIRE(s.windows.size() == 11);  // the last query completes at 100.5 ms
  CHECK(s.window_s == 0.010);
  CHECK(s.measurement_start_s == Approx(0.0015));
  for (std::size_t k = 0; k < s.windows.size(); ++k) {
    const SeriesWindow& w = s.windows[k];
    INFO("window " << k);
    CHECK(w.start_s == Approx(0.010 * static_cast<double>(k)));
    REQUIRE(w.latency_ms);
    CHECK(w.latency_ms->p95 == Approx(1.0).epsilon(1e-9));
    CHECK(w.latency_ms->max == Approx(1.0).epsilon(1e-9));
    CHECK(*w.sla_met);
    CHECK(w.servers_up == 1);
    if (k == 0) {  // queries at 1.5 ... 9.5 ms; the one at 9.5 completes in the next window
      CHECK(w.arrived == 5);
      CHECK(w.completed == 4);
      CHECK(w.in_system == 1);
      CHECK(w.mean_in_system == Approx(0.45).epsilon(1e-9));
      CHECK(w.cpu_utilization == Approx(0.45).epsilon(1e-9));
      CHECK(w.offered_qps == Approx(500).epsilon(1e-9));
    } else if (k < 10) {
      CHECK(w.arrived == 5);
      CHECK(w.completed == 5);
      CHECK(w.in_system == 1);
      CHECK(w.mean_in_system == Approx(0.5).epsilon(1e-9));
      CHECK(w.cpu_utilization == Approx(0.5).epsilon(1e-9));
    } else {  // [100, 100.5] ms: the last query's last half
      CHECK(w.end_s == Approx(0.1005).epsilon(1e-12));
      CHECK(w.arrived == 0);
      CHECK(w.completed == 1);
      CHECK(w.in_system == 0);
      CHECK(w.served_qps == Approx(2000).epsilon(1e-9));
      CHECK(w.cpu_utilization == Approx(1.0).epsilon(1e-9));
    }
  }
  CHECK(s.summary.windows == 11);
  CHECK(s.summary.judged == 11);
  CHECK(s.summary.met == 11);
  CHECK(*s.summary.fraction_met == 1.0);
  CHECK_FALSE(s.summary.first_missed_s);
}

TEST_CASE("time series: a run ending on a window's boundary keeps its last completion in the last window", "[time-series]") {
  TempDir dir;
  json doc = deterministic_document(dir);
  doc["service"]["ms"] = 0.5;  // the last query completes at 99.5 + 0.5 = 100 ms: ten whole windows
  const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.time_series);
  const TimeSeriesReport& s = *r.time_series;
  CHECK(s.windows.size() == 10);
  CHECK(sum_over(s, [](const SeriesWindow& w) { return static_cast<double>(w.completed); }) == 50);
  CHECK(s.windows.back().in_system == 0);
  CHECK(s.windows.back().end_s == r.virtual_seconds);
}

TEST_CASE("time series: a kind's power model gives each window's power from its utilisation", "[time-series][energy]") {
  TempDir dir;
  json v1 = deterministic_document(dir);
  json doc = {{"format", 2},
              {"name", "dc"},
              {"seed", 5},
              {"server_kinds",
               {{{"name", "k"},
                 {"cpu_cores", 2},
                 {"power", {{"cpu_idle_w", 100}, {"cpu_busy_w", 300}, {"other_w", 50}, {"source", "test figures"}}}}}},
              {"server_groups", {{{"name", "a"}, {"kind", "k"}, {"count", 1}}}},
              {"workload", v1["workload"]},
              {"models",
               {{{"name", "m"},
                 {"service", v1["service"]},
                 {"scheduler", {{"policy", "static"}, {"batch_size", 1}}},
                 {"sla", {{"percentile", 99}, {"target_ms", 2}}}}}},
              {"run", {{"window_s", 0.010}}}};
  const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
  REQUIRE(r.time_series);
  const SeriesWindow& w = r.time_series->windows[3];  // 5 core-ms busy of 20 core-ms
  REQUIRE(w.groups.size() == 1);
  CHECK(w.groups[0].name == "a");
  CHECK(w.groups[0].cpu_utilization == Approx(0.25).epsilon(1e-9));
  CHECK(*w.groups[0].power_w == Approx(50 + 100 + 200 * 0.25).epsilon(1e-9));
  CHECK(*w.power_w == *w.groups[0].power_w);
  REQUIRE(w.models.size() == 1);
  CHECK(w.models[0].name == "m");
  CHECK(w.models[0].completed == 5);
  CHECK(*w.models[0].met);
  CHECK(w.sla_model == "m");
  CHECK(w.sla_target_ms == 2);
}

TEST_CASE("time series: the windows add up to the run's totals (M/M/4 at 80%, a GPU server)", "[time-series]") {
  SECTION("CPU") {
    auto doc = mmc_document(4, 3200, 1.0, 20000, 0);
    doc["run"]["window_s"] = 0.05;
    const RunResults r = simulate_isolated(scenario_from(doc));
    REQUIRE(r.time_series);
    const TimeSeriesReport& s = *r.time_series;
    const double span = r.virtual_seconds - s.measurement_start_s;
    CHECK(sum_over(s, [](const SeriesWindow& w) { return static_cast<double>(w.arrived); }) == r.arrived);
    CHECK(sum_over(s, [](const SeriesWindow& w) { return static_cast<double>(w.completed); }) == r.completed);
    CHECK(s.windows.back().in_system == 0);
    CHECK(s.windows.back().end_s == r.virtual_seconds);
    CHECK(sum_over(s, [](const SeriesWindow& w) { return w.mean_in_system * (w.end_s - w.start_s); }) ==
          Approx(r.mean_in_system * span).epsilon(1e-9));
    CHECK(sum_over(s, [](const SeriesWindow& w) { return w.cpu_utilization * 4 * (w.end_s - w.start_s); }) ==
          Approx(r.cpu_utilization * 4 * span).epsilon(1e-9));
    // Every window's in_system is its arrivals so far less its completions so far.
    std::uint64_t in = 0;
    for (const auto& w : s.windows) {
      in += w.arrived;
      in -= w.completed;
      CHECK(w.in_system == in);
    }
  }
  SECTION("GPU kernels") {
    TempDir dir;
    std::string trace = "arrival_ms,size\n";
    for (int k = 0; k < 400; ++k) trace += std::to_string(0.7 * k) + "," + std::to_string(1 + (k * 37) % 200) + "\n";
    auto doc = gpu_document(dir, dir.write("t.csv", trace), 2, "deeprecsched");
    doc["run"]["window_s"] = 0.02;
    const RunResults r = simulate_isolated(scenario_from(doc, dir.path()));
    REQUIRE(r.time_series);
    REQUIRE(r.gpu_utilization);
    REQUIRE(r.gpu_queries > 0);
    const TimeSeriesReport& s = *r.time_series;
    const double span = r.virtual_seconds - s.measurement_start_s;
    CHECK(sum_over(s, [](const SeriesWindow& w) { return *w.gpu_utilization * 2 * (w.end_s - w.start_s); }) ==
          Approx(*r.gpu_utilization * 2 * span).epsilon(1e-9));
    CHECK(sum_over(s, [](const SeriesWindow& w) { return w.cpu_utilization * 4 * (w.end_s - w.start_s); }) ==
          Approx(r.cpu_utilization * 4 * span).epsilon(1e-9));
  }
}

TEST_CASE("time series: the SLA verdict per window follows a diurnal load (M/M/1 from 10% to 90%)", "[time-series][arrivals]") {
  auto doc = mmc_document(1, 500, 1.0, 40000, 0);
  doc["workload"]["arrival"] = {{"process", "diurnal"}, {"qps", 500}, {"peak_to_trough", 9}, {"period_s", 20}};
  doc["sla"] = {{"percentile", 95}, {"target_ms", 10}};
  doc["run"]["window_s"] = 1.0;
  const RunResults r = simulate_isolated(scenario_from(doc));
  REQUIRE(r.time_series);
  const TimeSeriesReport& s = *r.time_series;
  int low = 0, high = 0;
  std::uint64_t missed_queries = 0, completed = 0;
  std::optional<double> first_missed;
  double worst = 0;
  for (const auto& w : s.windows) {
    if (!w.sla_met) continue;
    CHECK(*w.sla_met == (*w.sla_observed_ms <= 10.0));
    completed += w.completed;
    if (!*w.sla_met) {
      missed_queries += w.completed;
      if (!first_missed) first_missed = w.start_s;
    }
    worst = std::max(worst, *w.sla_observed_ms);
    // M/M/1's p95 sojourn is ln(20) / (mu - lambda): 4.3 ms at 30% load, 20 ms at 85%.
    if (w.offered_qps < 300) {
      ++low;
      CHECK(*w.sla_met);
    }
    if (w.offered_qps > 850 && w.end_s - w.start_s == 1.0) {
      ++high;
      CHECK_FALSE(*w.sla_met);
    }
  }
  CHECK(low >= 10);
  CHECK(high >= 10);
  REQUIRE(s.summary.fraction_met);
  CHECK(*s.summary.fraction_met > 0.2);
  CHECK(*s.summary.fraction_met < 0.9);
  CHECK(s.summary.first_missed_s == first_missed);
  CHECK(s.summary.queries_in_missed_windows == Approx(static_cast<double>(missed_queries) / static_cast<double>(completed)).epsilon(1e-12));
  REQUIRE(s.summary.worst);
  CHECK(*s.windows[*s.summary.worst].sla_observed_ms == worst);
}

TEST_CASE("time series: the JSON reads back as written, and the CSV has a line per window", "[time-series]") {
  TempDir dir;
  const RunResults r = simulate_isolated(scenario_from(deterministic_document(dir), dir.path()));
  REQUIRE(r.time_series);
  const auto j = time_series_to_json(*r.time_series);
  CHECK(time_series_to_json(time_series_from_json(nlohmann::json::parse(j.dump()))) == j);
  const std::string csv = time_series_csv(*r.time_series);
  std::istringstream lines(csv);
  std::string header, line;
  std::getline(lines, header);
  CHECK(header ==
        "start_s,end_s,arrived,completed,lost,retried,offered_qps,served_qps,in_system,mean_in_system,latency_ms.mean,latency_ms.p50,"
        "latency_ms.p95,latency_ms.p99,latency_ms.max,sla.met,sla.observed_ms,sla.target_ms,sla.model,cpu_utilization,gpu_utilization,"
        "power_w,servers_up,groups.server.servers_up,groups.server.cpu_utilization,groups.server.gpu_utilization,groups.server.power_w,"
        "models.mmc.completed,models.mmc.observed_ms,models.mmc.met");
  int rows = 0;
  while (std::getline(lines, line)) ++rows;
  CHECK(rows == 11);
}

TEST_CASE("time series: bad windows are refused before the run", "[time-series][errors]") {
  auto doc = mmc_document(1, 500, 1.0, 1000, 0);
  doc["run"]["window_s"] = 0;
  CHECK(scenario_error(doc) == "run.window_s: expected a number in (0, 1e+09], got 0");
  doc["run"]["window_s"] = "60";
  CHECK(scenario_error(doc).rfind("run.window_s: expected a number", 0) == 0);
  doc["run"]["window_s"] = 1e-9;  // 2 s of arrivals in windows of a nanosecond
  const Scenario s = scenario_from(doc);
  try {
    check_resources(s, true);
    FAIL("expected an InputError");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind("run.window_s: the run's 2 virtual seconds would make 2e+09 windows, more than 1e7", 0) == 0);
  }
  TempDir dir;
  const auto path = dir.write("s.json", base_scenario_text());
  const auto cli = run_recsim({"run", path, "--series", dir.path() + "/series.csv"});
  CHECK(cli.status == 2);
  CHECK(cli.err == "recsim: error: --series: the scenario has no run.window_s to cut the run into windows: add it, or pass --set run.window_s=SECONDS\n");
  const auto ok = run_recsim({"run", path, "--quiet", "--set", "run.window_s=0.5", "--series", dir.path() + "/series.csv"});
  CHECK(ok.status == 0);
  std::ifstream in(dir.path() + "/series.csv");
  CHECK(in.good());
}

TEST_CASE("recsim run --trace: bad flags are refused before the run, a good one writes the trace", "[time-series][trace]") {
  TempDir dir;
  const auto path = dir.write("s.json", base_scenario_text());
  const auto zero = run_recsim({"run", path, "--trace", dir.path() + "/t.json", "--trace-queries", "0"});
  CHECK(zero.status == 2);
  CHECK(zero.err.find("--trace-queries") != std::string::npos);
  const auto negative = run_recsim({"run", path, "--trace", dir.path() + "/t.json", "--trace-from", "-1"});
  CHECK(negative.status == 2);
  const auto same = run_recsim({"run", path, "--out", dir.path() + "/t.json", "--trace", dir.path() + "/t.json"});
  CHECK(same.status == 2);
  CHECK(same.err.rfind("recsim: error: --trace:", 0) == 0);
  const auto ok = run_recsim({"run", path, "--quiet", "--trace", dir.path() + "/t.json", "--trace-queries", "20"});
  REQUIRE(ok.status == 0);
  std::ifstream in(dir.path() + "/t.json");
  const auto trace = nlohmann::json::parse(in);
  CHECK(trace.at("otherData").at("traced_queries") == 20);
  std::size_t requests = 0;
  for (const auto& e : trace.at("traceEvents"))
    if (e.at("ph") == "X") {
      ++requests;
      CHECK(e.at("args").at("query").get<int>() < 20);
    }
  CHECK(requests == 20);  // one request per query in the base scenario
}
