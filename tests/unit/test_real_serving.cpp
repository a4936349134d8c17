// Real serving (sim/serving/real_server.h) with work whose time is known, and `recsim validate`:
// its input checks (exit 2, one line, before any work) and a short real run of a shipped model.
#include "support/build_paths.h"
#include "kernels/profiles/latency_profile.h"
#include "sim/serving/real_server.h"
#include "sim/serving/service_check.h"
#include "sim/service/service_time_model.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sched.h>

#include <chrono>
#include <cmath>
#include <thread>

using namespace recsim;
using namespace recsim::test;

namespace {

// A request of n items sleeps n ms: a lower bound on its time whatever the machine's load.
WorkFactory sleeping_work() {
  return [](int) -> RequestWork {
    return [](int, int items) { std::this_thread::sleep_for(std::chrono::milliseconds(items)); };
  };
}

}  // namespace

TEST_CASE("real serving splits queries by the batch size and measures from the hand-over to the server", "[serving]") {
  RealServingOptions o;
  o.batch_size = 2;
  SECTION("one core: a query of 5 items is 2 + 2 + 1 ms of work in a row") {
    o.cores = 1;
    const auto r = serve_real({{0.0, 5, 0}}, o, sleeping_work());
    CHECK(r.measured == 1);
    CHECK(r.latency.min() >= 0.005);
    CHECK(r.busy_fraction > 0.0);
    CHECK(r.busy_fraction <= 1.0);
  }
  SECTION("two queries at once on one core: the second waits for the first") {
    o.cores = 1;
    const auto r = serve_real({{0.0, 4, 0}, {0.0, 4, 0}}, o, sleeping_work());
    CHECK(r.measured == 2);
    CHECK(r.latency.min() >= 0.004);
    CHECK(r.latency.max() >= 0.008);
  }
  SECTION("warm-up queries are served but not measured; workers are pinned to the CPUs this process may use") {
    o.cores = 2;
    o.warmup_queries = 2;
    const auto r = serve_real({{0.0, 1, 0}, {0.001, 1, 0}, {0.002, 3, 0}, {0.003, 1, 0}}, o, sleeping_work());
    CHECK(r.measured == 2);
    CHECK(r.latency.count() == 2);
    CHECK(r.latency.max() >= 0.002);  // the 3-item query: 2 ms and 1 ms on two cores at once
    CHECK(r.cpus.size() == 2);
    // The measured queries' requests by size: 1 + 2 + 1 items (query 2 split), 1 item (query 3).
    REQUIRE(r.served_by_items.size() == 2);
    CHECK(r.served_by_items.at(1).requests == 2);
    CHECK(r.served_by_items.at(2).requests == 1);
    CHECK(r.served_by_items.at(1).mean_seconds() >= 0.001);
    CHECK(r.served_by_items.at(2).mean_seconds() >= 0.002);
    CHECK(r.served_by_items.at(2).mean_seconds() < 0.002 + 0.5);
    // Every request in the log of the worker that served it, in order, the warm-up's too.
    REQUIRE(r.served_log.size() == 2);
    std::size_t logged = 0;
    for (const auto& worker : r.served_log) {
      for (std::size_t i = 0; i < worker.size(); ++i) {
        CHECK(worker[i].start >= worker[i].queued);
        CHECK(worker[i].end - worker[i].start >= worker[i].items * 1e-3);
        if (i > 0) CHECK(worker[i].start >= worker[i - 1].end);
      }
      logged += worker.size();
    }
    CHECK(logged == 5);
  }
}

TEST_CASE("the service-time model is checked request by request with the simulator's core history", "[serving][service_check]") {
  // 1 ms per item alone; after 2 ms idle 1.5x then 1.2x, after 20 ms 2x then 1.5x; cold sizes 1.25x.
  const LatencyCurve alone({{1, 1e-3}, {64, 64e-3}});
  const auto scaled = [](double r) { return LatencyCurve({{1, r * 1e-3}, {64, r * 64e-3}}); };
  const auto service = make_profiled_service(alone, std::nullopt, {{2.0, scaled(1.5), scaled(1.2)}, {20.0, scaled(2.0), scaled(1.5)}}, {}, 2,
                                             scaled(1.25));
  RealServingResult real;
  // One worker: a query of 4 + 4 items queued at 20 ms (the worker idle since 0), then one of 2
  // items queued at 30 ms, while the worker is still busy.
  real.served_log = {{{0, 4, 0.020, 0.0201, 0.031}, {0, 4, 0.020, 0.0311, 0.0372}, {1, 2, 0.030, 0.0373, 0.0402}}};
  SECTION("every request") {
    const ServiceCheck c = check_service(real, *service, 0, 1);
    // Found idle after 20 ms, a new size: 4 ms x 2 x 1.25 against 11 ms from its queuing.
    CHECK(c.idle_cold.requests == 1);
    CHECK(c.idle_cold.model_mean_ms() == Approx(10.0));
    CHECK(c.idle_cold.real_mean_ms() == Approx(11.0));
    CHECK(c.idle_warm.requests == 0);
    // Queued behind it, the same size: the carried 1.5x, against 6.2 ms from the previous end.
    CHECK(c.busy_warm.requests == 1);
    CHECK(c.busy_warm.model_mean_ms() == Approx(6.0));
    CHECK(c.busy_warm.real_mean_ms() == Approx(6.2));
    // Then a new size: the excess halved (1.25x) and cold (1.25x), against 3 ms.
    CHECK(c.busy_cold.requests == 1);
    CHECK(c.busy_cold.model_mean_ms() == Approx(2 * 1.25 * 1.25));
    CHECK(c.busy_cold.real_mean_ms() == Approx(3.0));
    CHECK(c.all.requests == 3);
    CHECK(c.all.model_seconds == Approx((10.0 + 6.0 + 3.125) * 1e-3));
    CHECK(c.all.real_seconds == Approx(20.2e-3));
    CHECK(c.all.error() == Approx(19.125 / 20.2 - 1));
    // The spread: the standard deviation of ln(real / model) over the three requests.
    const double a = std::log(11.0 / 10.0), b = std::log(6.2 / 6.0), d = std::log(3.0 / 3.125), m = (a + b + d) / 3;
    CHECK(c.all.spread() == Approx(std::sqrt(((a - m) * (a - m) + (b - m) * (b - m) + (d - m) * (d - m)) / 2)));
    CHECK(c.idle_cold.spread() == 0.0);  // one request: none
  }
  SECTION("warm-up queries are left out of the figures but still pass through the core's history") {
    const ServiceCheck c = check_service(real, *service, 1, 1);
    CHECK(c.all.requests == 1);
    CHECK(c.busy_cold.model_mean_ms() == Approx(2 * 1.25 * 1.25));
  }
  SECTION("contention at the other cores busy when the core could take the request") {
    const auto contended = make_profiled_service(alone, scaled(2.0));
    RealServingResult two;
    // Worker 0 from 0 to 4 ms; worker 1 from 1 ms (worker 0 busy: 2x) to 9 ms.
    two.served_log = {{{0, 4, 0.0, 0.0, 0.004}}, {{1, 4, 0.001, 0.001, 0.009}}};
    const ServiceCheck c = check_service(two, *contended, 0, 2);
    CHECK(c.all.requests == 2);
    CHECK(c.all.model_seconds == Approx(0.004 + 0.008));
    CHECK(c.all.real_seconds == Approx(0.012));
    CHECK(c.all.error() == Approx(0.0).margin(1e-12));
  }
}

TEST_CASE("a load where every group of requests is off alike is the machine's move, not the model's", "[serving][service_check]") {
  const auto group = [](std::uint64_t n, double real, double model) { return ServiceCheckGroup{n, real, model, 0.0, 0.0}; };
  ServiceCheck c;
  c.idle_warm = group(150, 1.0, 0.80);
  c.idle_cold = group(50, 1.0, 0.80);    // with idle_warm: -20%
  c.busy_warm = group(300, 1.0, 0.85);   // -15%
  c.busy_cold = group(150, 1.0, 0.70);   // -30%
  REQUIRE(machine_shift(c).has_value());
  CHECK(machine_shift(c)->model_error == Approx(-0.15));
  CHECK_FALSE(machine_shift(c)->by_reference);
  SECTION("one group within the threshold: the model may be wrong there, no flag") {
    c.busy_warm = group(300, 1.0, 0.95);
    CHECK_FALSE(machine_shift(c).has_value());
  }
  SECTION("groups off in opposite directions: no flag") {
    c.busy_cold = group(150, 1.0, 1.3);
    CHECK_FALSE(machine_shift(c).has_value());
  }
  SECTION("small groups do not count; at least two must") {
    c.busy_warm = group(99, 1.0, 1.3);
    CHECK(machine_shift(c)->model_error == Approx(-0.2));
    c.busy_cold = group(10, 1.0, 0.7);
    CHECK_FALSE(machine_shift(c).has_value());
  }
  SECTION("faster alike") {
    c.idle_warm = group(150, 1.0, 1.2);
    c.idle_cold = group(50, 1.0, 1.2);
    c.busy_warm = group(300, 1.0, 1.25);
    c.busy_cold = group(150, 1.0, 1.11);
    CHECK(machine_shift(c)->model_error == Approx(0.11));
  }
  SECTION("the reference timing moved and the main groups with it, whatever the cold group") {
    // The machine 20% faster than the profile's point before the load; found idle and queued warm
    // 20% and 25% slower in the model; the cold sizes 15% faster in the model (their own error).
    c.idle_warm = group(150, 1.0, 1.2);
    c.idle_cold = group(50, 1.0, 1.2);
    c.busy_warm = group(300, 1.0, 1.25);
    c.busy_cold = group(150, 1.0, 0.85);
    CHECK_FALSE(machine_shift(c).has_value());  // the groups alone: not alike
    REQUIRE(machine_shift(c, -0.20).has_value());
    CHECK(machine_shift(c, -0.20)->model_error == Approx(0.2));
    CHECK(machine_shift(c, -0.20)->by_reference);
    CHECK_FALSE(machine_shift(c, -0.05).has_value());  // the reference within the threshold
    CHECK_FALSE(machine_shift(c, +0.20).has_value());  // it moved the other way
    c.busy_warm = group(300, 1.0, 1.05);               // a main group within the threshold
    CHECK_FALSE(machine_shift(c, -0.20).has_value());
    c.busy_warm = group(50, 1.0, 1.25);                // too few queued warm requests to say
    CHECK_FALSE(machine_shift(c, -0.20).has_value());
  }
}

TEST_CASE("recsim validate refuses what it cannot serve, with one line and exit 2", "[cli][validate]") {
  const std::string models = recsim::test::source_dir() + "/scenarios/models/";
  const auto gpu = run_recsim({"validate", recsim::test::source_dir() + "/scenarios/gpu/dlrm-rmc1.json"});
  CHECK(gpu.status == 2);
  CHECK(gpu.err == "recsim: error: platform.servers.0.gpus: recsim validate serves on this machine's CPU cores only: expected 0 GPUs\n");
  const auto dc = run_recsim({"validate", recsim::test::source_dir() + "/scenarios/datacenter/at-scale.json"});
  CHECK(dc.status == 2);
  CHECK(dc.err == "recsim: error: format: recsim validate serves one model on one server: format 2 scenarios are not supported\n");
  const auto loads = run_recsim({"validate", models + "ncf.json", "--loads", "0.3,1.2"});
  CHECK(loads.status == 2);
  CHECK(loads.err == "recsim: error: --loads: expected decimal numbers in (0, 1), got \"1.2\"\n");
  CHECK(run_recsim({"validate", models + "ncf.json", "--loads", "0x1p-2"}).err == "recsim: error: --loads: expected decimal numbers in (0, 1), got \"0x1p-2\"\n");
  const auto tiny = run_recsim({"validate", models + "ncf.json", "--loads", "0.3,1e-300"});
  CHECK(tiny.status == 2);
  CHECK(tiny.err == "recsim: error: --loads: expected loads of at least 0.01 (the real run lasts about 1/load times its queries' service time), got 1e-300\n");
  const auto cores = run_recsim({"validate", models + "ncf.json", "--cores", "1024"});
  CHECK(cores.status == 2);
  CHECK(cores.err.rfind("recsim: error: --cores: expected at most the ", 0) == 0);
  const auto policy = run_recsim({"validate", models + "ncf.json", "--set", R"(scheduler={"policy":"deeprecsched-online","online":{}})"});
  CHECK(policy.status == 2);
  CHECK(policy.err == "recsim: error: scheduler.policy: recsim validate serves with the static split: expected \"static\" or \"cpu-only\", got \"deeprecsched-online\"\n");
  const auto missing = run_recsim({"validate", models + "ncf.json", "--profile", "/nonexistent/profile.json"});
  CHECK(missing.status == 2);
  CHECK(missing.err == "recsim: error: --profile: no such file: \"/nonexistent/profile.json\"\n");
  const auto draws = run_recsim({"validate", models + "ncf.json", "--draws", "0"});
  CHECK(draws.status == 2);
  CHECK(draws.err == "recsim: error: --draws: Value 0 not in range 1 to 1000 (see recsim --help)\n");
  CHECK(run_recsim({"validate", models + "ncf.json", "--validate-only"}).status == 0);
}

TEST_CASE("recsim validate serves a shipped model for real beside its simulation", "[cli][validate][real]") {
  // The shipped profile instead of a calibration, one load, few queries: a run of a few seconds.
  TempDir dir;
  const auto out = dir.file("v.json");
  const std::string source = recsim::test::source_dir();
  const auto r = run_recsim({"validate", source + "/scenarios/models/ncf.json", "--profile", source + "/kernels/profiles/cpu-intel-xeon-2c.json",
                             "--cores", "1", "--loads", "0.3", "--queries", "300", "--draws", "5", "--out", out, "--quiet"});
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["model"] == "ncf");
  CHECK(j["cores"] == 1);
  CHECK(j["capacity_qps"].get<double>() > 0);
  REQUIRE(j["loads"].size() == 1);
  const auto& l = j["loads"][0];
  CHECK(l["qps"].get<double>() == Approx(0.3 * j["capacity_qps"].get<double>()));
  CHECK(l["real"]["measured"] == 270);  // 300 queries, a tenth warm-up
  CHECK(l["real_ms"]["p50"].get<double>() > 0);
  CHECK(l["real_ms"]["p95"].get<double>() >= l["real_ms"]["p50"].get<double>());
  CHECK(l["simulated_ms"]["p95"].get<double>() > 0);
  // The simulated p95 over five draws of the requests' own variation: the seed's draw among them.
  CHECK(j["draws"] == 5);
  const auto& range = l["simulated_p95_range"];
  CHECK(range["draws"] == 5);
  CHECK(range["low_ms"].get<double>() <= l["simulated_ms"]["p95"].get<double>());
  CHECK(range["high_ms"].get<double>() >= l["simulated_ms"]["p95"].get<double>());
  CHECK(range["real_inside"] == (l["real_ms"]["p95"].get<double>() >= range["low_ms"].get<double>() &&
                                 l["real_ms"]["p95"].get<double>() <= range["high_ms"].get<double>()));
  // Where the error comes from: the profile's time per request against the served one, and the
  // simulation replayed at the served times (the queueing model's own error).
  CHECK(l["service_ms_per_request"]["served"].get<double>() > 0);
  CHECK(l["service_ms_per_request"]["profile"].get<double>() > 0);
  CHECK(l["service_ms_per_request"]["error"].get<double>() ==
        Approx(l["service_ms_per_request"]["profile"].get<double>() / l["service_ms_per_request"]["served"].get<double>() - 1));
  CHECK(l["replayed_ms"]["p95"].get<double>() >= l["replayed_ms"]["p50"].get<double>());
  CHECK(l["replayed_error"]["p95"].get<double>() ==
        Approx(l["replayed_ms"]["p95"].get<double>() / l["real_ms"]["p95"].get<double>() - 1));
  // The service-time model request by request: the groups add up to every measured request.
  const auto& check = l["service_check"];
  CHECK(check["all"]["requests"].get<std::uint64_t>() > 270);
  CHECK(check["idle_warm"]["requests"].get<std::uint64_t>() + check["idle_cold"]["requests"].get<std::uint64_t>() +
            check["busy_warm"]["requests"].get<std::uint64_t>() + check["busy_cold"]["requests"].get<std::uint64_t>() ==
        check["all"]["requests"].get<std::uint64_t>());
  CHECK(check["all"]["real_ms"].get<double>() > 0);
  CHECK(check["all"]["error"].get<double>() ==
        Approx(check["all"]["model_ms"].get<double>() / check["all"]["real_ms"].get<double>() - 1));
  // The machine's drift: the profile's point at the largest request (the batch size, 64) timed
  // again before the load and after it.
  CHECK(j["drift_check"]["batch"] == 64);
  CHECK(j["drift_check"]["profile_ms"].get<double>() ==
        Approx(load_latency_profile(source + "/kernels/profiles/cpu-intel-xeon-2c.json").curve("ncf", "here").seconds_at(64) * 1e3));
  CHECK(l["machine_drift"]["reference_ms"].get<double>() > 0);
  CHECK(l["machine_drift"]["change"].get<double>() ==
        Approx(l["machine_drift"]["reference_ms"].get<double>() / j["drift_check"]["profile_ms"].get<double>() - 1));
  CHECK(j["drift_check"]["after_last_load_ms"].get<double>() > 0);
  CHECK(j["pinned_cpus"].size() == 1);
  // The generator takes a CPU of its own when the process has one beyond the worker's.
  cpu_set_t mask;
  REQUIRE(sched_getaffinity(0, sizeof mask, &mask) == 0);
  if (CPU_COUNT(&mask) >= 2) {
    REQUIRE(j["generator_cpu"].is_number());
    CHECK(j["generator_cpu"] != j["pinned_cpus"][0]);
  } else {
    CHECK(j["generator_cpu"].is_null());
  }
}

TEST_CASE("recsim validate on one core calibrates without contention and serves", "[cli][validate][real]") {
  // One serving core has no other core busy: the calibration measures no contention, and the
  // simulated server must not ask for it (it used to stop with exit 2 on service.contention).
  TempDir dir;
  const auto out = dir.file("v.json");
  const std::string source = recsim::test::source_dir();
  // A loose SLA (50 ms, not NCF's 5): one core serving the largest queries whole must meet it even
  // when this machine is slow while it calibrates (a loaded machine missed 5 ms at every rate).
  const auto r = run_recsim({"validate", source + "/scenarios/models/ncf.json", "--cores", "1", "--loads", "0.3", "--queries", "200",
                             "--set", "sla.target_ms=50", "--out", out, "--quiet"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["cores"] == 1);
  CHECK(j["calibration"]["provenance"].is_object());
  REQUIRE(j["loads"].size() == 1);
  CHECK(j["loads"][0]["real"]["measured"] == 180);
}
