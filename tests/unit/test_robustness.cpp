// Hostile and careless input, each answered before any work with exit 2, one escaped and bounded
// line naming what is wrong, and no output: the strict JSON rules (duplicate keys, numbers beyond
// double range, deep nesting, UTF-8), flag values (empty, NaN, seeds out of range, flags that need
// another), and output paths (links, FIFOs, devices, directories, inputs, long names); and the
// atomic writer leaving no temporary file behind.
#include "support/build_paths.h"
#include "sim/engine/atomic_file.h"
#include "sim/scenario/query_sizes.h"
#include "sim/scenario/resource_estimate.h"
#include "sim/scenario/scenario_parser.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"
#include "workloads/strict_json.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>

using namespace recsim;
using namespace recsim::test;

namespace {

std::string strict_error(const std::string& text) {
  try {
    parse_json_strict(text, "f.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "valid";
}

std::size_t lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST_CASE("strict JSON: duplicate keys, out-of-range numbers, deep nesting and bad UTF-8 are errors", "[robustness][json]") {
  CHECK(strict_error(R"({"a": {"b": 1, "c": [1, {"d": 2}]}})") == "valid");
  CHECK(strict_error(R"({"a": 1, "a": 2})") == "f.json: a: duplicate key (each key may appear once per object)");
  CHECK(strict_error(R"({"a": [0, {"b": 1, "b": 1}]})") == "f.json: a.1.b: duplicate key (each key may appear once per object)");
  CHECK(strict_error(R"({"a": {"x": 1}, "b": [1, 2, 1e400]})") == "f.json: b.2: a number is out of range (beyond double precision)");
  CHECK(strict_error(R"({"a": -1e400})") == "f.json: a: a number is out of range (beyond double precision)");
  CHECK(strict_error(R"({"a": 1e-400})") == "valid");  // underflows to 0, within range
  CHECK(strict_error("1e400") == "f.json: (top level): a number is out of range (beyond double precision)");
  CHECK(strict_error(R"({"a": 123456789012345678901234567890})") == "valid");  // a double
  CHECK(strict_error(std::string(64, '[') + std::string(64, ']')) == "valid");
  const std::string deep = strict_error(std::string(100000, '[') + std::string(100000, ']'));
  CHECK(deep.find("nested deeper than 64 levels") != std::string::npos);
  CHECK(deep.size() < 1200);
  CHECK(strict_error("{\"a\": \"\xff\"}").rfind("f.json: malformed JSON at line 1, column 8: ", 0) == 0);
  CHECK(strict_error("{\"a\": tru}") == "f.json: malformed JSON at line 1, column 10: syntax error while parsing value - invalid literal; last read: '\"a\": tru}'");
  CHECK(is_valid_utf8("caf\xc3\xa9"));
  CHECK_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));      // a surrogate
  CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // beyond U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

TEST_CASE("error lines are printable and bounded", "[robustness][messages]") {
  CHECK(printable("a\nb\x1b" "c\xff", 100) == "a\\nb\\x1Bc\\xFF");
  CHECK(printable("caf\xc3\xa9", 100) == "caf\xc3\xa9");
  // C1 controls and bidirectional overrides are escaped too: a terminal acts on them.
  CHECK(printable("a\xc2\x9b" "b\xe2\x80\xae" "c\xe2\x81\xa6" "d", 100) == "a\\u009Bb\\u202Ec\\u2066d");
  const std::string big(1'000'000, 'x');
  const InputError e("where", "got \"" + big + "\"");
  CHECK(std::string(e.what()).size() < 800);
  CHECK(std::string(e.what()).find("bytes elided") != std::string::npos);
}

TEST_CASE("hostile input through the command: exit 2, one line, no output", "[robustness][cli]") {
  TempDir dir;
  const auto good = dir.write("good.json", base_scenario_text());
  const auto out = dir.file("r.json");
  const auto scenario_with = [&](const std::string& name, const std::string& from, const std::string& to) {
    std::string text = base_scenario_text();
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    return dir.write(name, text);
  };
  const auto dup = scenario_with("dup.json", "\"seed\"", "\"seed\": 3, \"seed\"");
  const auto huge = scenario_with("huge.json", "\"seed\"", "\"extra\": 1e400, \"seed\"");
  std::string nested(50000, '[');
  nested += std::string(50000, ']');
  const auto deep = scenario_with("deep.json", "\"seed\"", "\"extra\": " + nested + ", \"seed\"");
  ::mkfifo(dir.file("fifo").c_str(), 0600);
  std::filesystem::create_symlink(dir.file("target.json"), dir.file("link.json"));
  struct Case {
    std::vector<std::string> args;
    std::string expected;  // the start of the stderr line
  };
  const std::vector<Case> cases = {
      {{"run", dup, "--out", out}, "recsim: error: " + dup + ": seed: duplicate key"},
      {{"run", huge, "--out", out}, "recsim: error: " + huge + ": extra: a number is out of range"},
      {{"run", deep, "--out", out}, "recsim: error: " + deep + ": extra.0.0"},
      {{"run", good, "--out", out, "--set", "name=\xff"}, "recsim: error: --set name=\\xFF: PATH=VALUE is not valid UTF-8"},
      {{"run", good, "--out", out, "--set", "workload.arrival={\"qps\": 1, \"qps\": 2}"}, "recsim: error: --set workload.arrival="},
      {{"run", good, "--out", out, "--seed", "-1"}, "recsim: error: --seed: expected an integer in [0, 9223372036854775807]"},
      {{"run", good, "--out", out, "--seed", "18446744073709551616"}, "recsim: error: --seed: expected an integer in [0,"},
      {{"run", good, "--out", out, "--seed", ""}, "recsim: error: --seed: expected a value, got an empty string"},
      {{"run", good, "--out", ""}, "recsim: error: --out: expected a value, got an empty string"},
      {{"run", good, "--out", dir.file("fifo")}, "recsim: error: --out: \"" + dir.file("fifo") + "\" is a FIFO"},
      {{"run", good, "--out", dir.file("link.json")}, "recsim: error: --out: \"" + dir.file("link.json") + "\" is a symbolic link"},
      {{"run", good, "--out", "/dev/null"}, "recsim: error: --out: \"/dev/null\" is a device"},
      {{"run", good, "--out", good}, "recsim: error: --out: \"" + good + "\" is an input of this run"},
      {{"run", good, "--out", out, "--cdf", dir.path()}, "recsim: error: --cdf: \"" + dir.path() + "\" is a directory"},
      {{"run", good, "--out", out, "--cdf", out}, "recsim: error: --cdf: \"" + out + "\" is also another output of this run"},
      {{"run", good, "--out", dir.file(std::string(250, 'x'))}, "recsim: error: --out: the file name has 250 bytes; at most 240"},
      {{"capacity", good, "--out", out, "--precision", "nan"}, "recsim: error: --precision: expected a finite decimal number in [1e-06, 1], got \"nan\""},
      {{"capacity", good, "--out", out, "--precision", "inf"}, "recsim: error: --precision: expected a finite decimal number"},
      {{"capacity", good, "--out", out, "--precision", "0x1p-3"}, "recsim: error: --precision: expected a finite decimal number in [1e-06, 1], got \"0x1p-3\""},
      {{"tune", good, "--out", out, "--batches", ""}, "recsim: error: --batches: expected a value, got an empty string"},
      {{"tune", good, "--out", out, "--csv", out}, "recsim: error: --csv: \"" + out + "\" is also another output of this run"},
      {{"calibrate", "--dims", "32", "--out", out}, "recsim: error: --dims requires --tiers"},
      {{"calibrate", "--tiers", "--device", "cpu", "--out", out}, "recsim: error: --device"},
      {{"calibrate", "--device", "gpu", "--analytic", recsim::test::source_dir() + "/kernels/gpus/h100-sxm.json", "--passes", "3", "--out", out},
       "recsim: error: --passes: does not apply to --analytic (the profile is computed, not measured)"},
      {{"calibrate", "--device", "gpu", "--isa", "avx2", "--out", out}, "recsim: error: --isa: does not apply to --device gpu (a CPU calibration flag)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.args);
    const auto r = run_recsim(c.args);
    CHECK(r.status == 2);
    CHECK(r.err.rfind(c.expected, 0) == 0);
    CHECK(lines(r.err) == 1);
    CHECK(r.err.size() < 1200);
    CHECK(r.out.empty());
    CHECK_FALSE(file_exists(out));
  }
  CHECK_FALSE(file_exists(dir.file("target.json")));  // the link's target was not written either
}

TEST_CASE("atomic writes replace the file whole and clear temporary files of dead processes", "[robustness][output]") {
  TempDir dir;
  const auto path = dir.file("r.json");
  // A temporary file of a process that no longer exists (as a kill between naming and renaming
  // leaves), one of a live process (this test's parent), and a file that only looks like one.
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  int status = 0;
  ::waitpid(child, &status, 0);
  const auto dead = dir.write("r.json.tmp." + std::to_string(child), "partial");
  // A killed writer nobody has reaped yet (a zombie: the children of a killed sweep, where nothing
  // reaps orphans) has ended too.
  const pid_t zombie = ::fork();
  if (zombie == 0) ::_exit(0);
  REQUIRE(zombie > 0);
  for (int i = 0; i < 5000; ++i) {  // until it has exited, without reaping it
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(zombie), &info, WEXITED | WNOWAIT | WNOHANG) == 0 && info.si_pid == zombie) break;
    ::usleep(1000);
  }
  const auto unreaped = dir.write("r.json.tmp." + std::to_string(zombie), "partial too");
  const auto live = dir.write("r.json.tmp." + std::to_string(::getppid()), "someone else's");
  const auto other = dir.write("r.json.tmp.x1", "not ours");
  write_file_atomically(path, "one\n");
  CHECK(read_file(path) == "one\n");
  CHECK_FALSE(file_exists(dead));
  CHECK_FALSE(file_exists(unreaped));
  ::waitpid(zombie, &status, 0);
  CHECK(file_exists(live));
  CHECK(file_exists(other));
  // A leftover named with this process's own id (an earlier process that had it) is no obstacle.
  const auto own = dir.write("r.json.tmp." + std::to_string(::getpid()), "an earlier process's");
  write_file_atomically(path, "two\n");
  CHECK_FALSE(file_exists(own));
  CHECK(read_file(path) == "two\n");
  std::size_t entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++entries;
  }
  CHECK(entries == 3);  // r.json, the live one's and the look-alike: nothing of ours left
  CHECK_THROWS_WITH(write_file_atomically(dir.file("no/such/r.json"), "x"), Catch::Contains("cannot write"));
}

TEST_CASE("resource estimate: refused before any work, unless --allow-large, and impossible runs always", "[robustness][limits]") {
  TempDir dir;
  const auto good = dir.write("good.json", base_scenario_text());
  const auto out = dir.file("r.json");
  // 100,000 servers of 4,096 cores: 4e8 simulated cores and a routing table of 1e10 pairs of hosts,
  // far beyond any machine.
  auto r = run_recsim({"run", good, "--out", out, "--set", "platform.servers.0.count=100000", "--set", "platform.servers.0.cpu_cores=4096"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("recsim: error: platform.servers: the run would need about ", 0) == 0);
  CHECK(r.err.find("pass --allow-large to run it anyway") != std::string::npos);
  CHECK(lines(r.err) == 1);
  // More servers than the platform allows at all.
  r = run_recsim({"run", good, "--out", out, "--set", "platform.servers=[{\"count\": 60000, \"cpu_cores\": 1}, {\"count\": 60000, \"cpu_cores\": 1}]"});
  CHECK(r.err == "recsim: error: platform.servers.1.count: the platform would have more than 100000 servers in all\n");
  // 1e12 queries of one request each.
  r = run_recsim({"run", good, "--out", out, "--set", "run.queries=1000000000000"});
  CHECK(r.err.rfind("recsim: error: run.queries: the run would simulate about 2e+12 requests", 0) == 0);
  // tune: its smallest batch size decides (a query of 1,000 items at batch 1: 1,001 requests).
  r = run_recsim({"tune", good, "--out", out, "--set", "run.queries=20000000",
                  "--set", "workload.query_size={\"distribution\": \"fixed\", \"value\": 1000}"});
  CHECK(r.err.rfind("recsim: error: run.queries: the run would simulate about 2e+10 requests", 0) == 0);
  CHECK_FALSE(file_exists(out));
}

TEST_CASE("resource estimate counts actors, routing and periodic events", "[robustness][limits]") {
  auto doc = nlohmann::json::parse(base_scenario_text());
  doc["platform"]["servers"] = {{{"name", "a"}, {"count", 10}, {"cpu_cores", 8}}};
  doc["run"] = {{"queries", 1000}, {"warmup_queries", 0}};
  doc["workload"]["arrival"]["qps"] = 500.0;
  TempDir dir;
  const Scenario s = load_scenario(dir.write_json("s.json", doc), {});
  const ResourceEstimate e = estimate_resources(s);
  CHECK(e.simulated_cores == 80);
  CHECK(e.actors == 2);  // the load generator and the completion flusher: no actor per core
  CHECK(e.core_bytes == 80 * 64.0);
  CHECK(e.histogram_bytes == 21 * 290.0 * 1024);  // format 1: the run's RunMetrics alone
  CHECK(e.routing_bytes == 11 * 9.0 * 1024);  // hosts alone: no links without a network or GPUs
  CHECK(e.virtual_seconds == Approx(2.0));
  CHECK(e.periodic_events == 0);
  CHECK_NOTHROW(check_resources(s, false));
}

TEST_CASE("parameter-server periods and bandwidths have lower bounds, and endless runs are refused even with --allow-large", "[robustness][limits]") {
  const std::string scenario = recsim::test::source_dir() + "/scenarios/ps/dlrm-rmc1-hierarchy.json";
  TempDir dir;
  const auto out = dir.file("r.json");
  auto r = run_recsim({"run", scenario, "--out", out, "--set", "service.embedding_cache.updates.tick_ms=0.01"});
  CHECK(r.err == "recsim: error: service.embedding_cache.updates.tick_ms: expected a number in [0.1, 1e+09], got 0.01\n");
  r = run_recsim({"run", scenario, "--out", out, "--set", "service.embedding_cache.persistent.read_gb_per_s=1e-9"});
  CHECK(r.err.rfind("recsim: error: service.embedding_cache.persistent.read_gb_per_s: expected a number in [0.001, 1e+06]", 0) == 0);
  // 800 queries over 5e8 virtual seconds: 5e12 update ticks of 0.1 ms.
  r = run_recsim({"run", scenario, "--out", out, "--allow-large", "--set", "workload.arrival.qps=1.6e-6", "--set",
                  "service.embedding_cache.updates.tick_ms=0.1"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("recsim: error: service.embedding_cache.updates.tick_ms: the run's ", 0) == 0);
  CHECK(r.err.find("more than virtual time can tell apart") != std::string::npos);
  // Beyond 1e9 virtual seconds time no longer resolves a latency: refused before any tick is counted.
  r = run_recsim({"run", scenario, "--out", out, "--allow-large", "--set", "workload.arrival.qps=1e-9"});
  CHECK(r.status == 2);
  CHECK(r.err == "recsim: error: workload.arrival.qps: the run would last about 8e+11 virtual seconds, beyond 1e9 (double-precision time "
                 "then resolves a latency to worse than 0.12 µs): raise the rate or run fewer queries\n");
  // A slow SSD stretches the run beyond its arrivals: 5 queries of 64 items x 26 tables' lookups,
  // each key a 1 GiB block at 1 MB/s, over two servers' SSDs.
  r = run_recsim({"run", scenario, "--out", out, "--set", "service.embedding_cache.persistent.block_bytes=1073741824", "--set",
                  "service.embedding_cache.persistent.read_gb_per_s=0.001", "--set", "run.queries=5", "--set", "run.warmup_queries=0"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("recsim: error: service.embedding_cache.updates: the run would process about ", 0) == 0);
  CHECK(r.err.find("over 1.1e+08 virtual seconds") != std::string::npos);
  CHECK_FALSE(file_exists(out));
  // Link latencies stretch it too (found by the run-level fuzzer: a 1 s PCIe latency ran past its
  // budget): each GPU's stages take one query at a time, two PCIe crossings and a Redis round trip
  // per table each.
  const Scenario slow = load_scenario(scenario, {"platform.servers.0.pcie.latency_us=1000000"});
  const ResourceEstimate e = estimate_resources(slow);
  CHECK(e.virtual_seconds == Approx(800.0 / 2 * (2 * 1.0 + 8 * 20e-6)));
  CHECK(e.virtual_seconds_key == "platform.servers");
}

TEST_CASE("a parameter-server update rate near zero applies what was published and ends", "[robustness][limits]") {
  // The slices a consumer applies at once were a float-to-integer conversion of ~1e300: it overflowed
  // to none, and the consumer spun forever at constant virtual time.
  const std::string scenario = recsim::test::source_dir() + "/scenarios/ps/dlrm-rmc1-hierarchy.json";
  const auto r = run_recsim({"run", scenario, "--set", "service.embedding_cache.updates.keys_per_s=1e-300", "--set", "run.queries=60",
                             "--set", "run.warmup_queries=10", "--quiet"});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
}

TEST_CASE("a capacity search never tries a rate whose run the work limits would refuse", "[robustness][limits]") {
  // Found by the run-level fuzzer: a capacity search of the parameter-server hierarchy whose SLA no
  // rate meets went down to a millionth of its rate, where one run held ~1e11 update keys and ran
  // for hours (check_resources holds a run to 1e9 periodic events; the search's slowest rate was
  // checked only against what no machine can do).
  const Scenario s = load_scenario(recsim::test::source_dir() + "/scenarios/ps/dlrm-rmc1-hierarchy.json", {});
  const double lowest = lowest_searchable_qps(s, false);
  CHECK(lowest > s.arrival.qps * kLowestRateFraction);
  Scenario at = s;
  at.arrival.qps = lowest;
  CHECK(estimate_resources(at).periodic_events == Approx(1e9).epsilon(1e-6));
  CHECK_NOTHROW(check_resources(at, false));
  // --allow-large lifts the work limits, not what no machine can do.
  CHECK(lowest_searchable_qps(s, true) < lowest);
  at.arrival.qps = lowest_searchable_qps(s, true);
  CHECK_NOTHROW(check_resources(at, true));
}

TEST_CASE("the largest query a run can draw, the queries in flight and a key trace count in the memory estimate", "[robustness][limits]") {
  const std::string mmc = recsim::test::source_dir() + "/scenarios/mmc-example.json";
  // One query of 10^9 items at batch 1: 10^9 requests placed at once (88 GB); it died with bad_alloc.
  auto r = run_recsim({"run", mmc, "--set", R"(workload.query_size={"distribution":"fixed","value":1000000000})", "--set", "run.queries=5",
                       "--set", "run.warmup_queries=0", "--validate-only"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("recsim: error: workload.query_size: the run would need about ", 0) == 0);
  CHECK(r.err.find("1e+09 of them the largest query's") != std::string::npos);
  Scenario s = load_scenario(mmc, {R"(workload.query_size={"distribution":"lognormal","mu":1,"sigma":1,"max":1000000})",
                                   "scheduler.batch_size=4", "run.queries=1000", "run.warmup_queries=0"});
  const ResourceEstimate e = estimate_resources(s);
  CHECK(e.largest_query_requests == 250000);
  CHECK(e.largest_query_bytes == 88.0 * 250000);
  CHECK(e.request_bytes == Approx(88.0 * (250000 + 1000 * (mean_query_size(s.fleet.models.front().query_size) / 4 + 1))));
  // An online climb's slowest rate sets its virtual time.
  r = run_recsim({"run", mmc, "--set", R"(scheduler={"policy":"deeprecsched-online","online":{"min_qps":1e-200,"batches":[1]}})"});
  CHECK(r.status == 2);
  CHECK(r.err.rfind("recsim: error: scheduler.online.min_qps: the run would last about 2e+205 virtual seconds", 0) == 0);
}

TEST_CASE("a command's outputs are written all or nothing: --cdf failing on a full disk leaves --out as it was", "[robustness][outputs]") {
  // A child limited to files of 20,000 bytes (RLIMIT_FSIZE, SIGXFSZ ignored: writes fail with EFBIG
  // as on a full disk): the results JSON (~2 KB) fits, the latency CDF (~110 KB) does not. Before,
  // --out was replaced and then the --cdf write failed, exit 1.
  TempDir dir;
  const auto out = dir.write("r.json", "old results\n");
  const auto cdf = dir.file("r.csv");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{20000, 20000};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    const auto r = run_recsim({"run", recsim::test::source_dir() + "/scenarios/mmc-example.json", "--set", "run.queries=20000", "--set",
                               "run.warmup_queries=1000", "--out", out, "--cdf", cdf, "--quiet"});
    ::_exit(r.status == 1 && r.err.rfind("recsim: failure: " + cdf + ":", 0) == 0 ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_file(out) == "old results\n");
  CHECK_FALSE(file_exists(cdf));
  // No temporary file left beside them.
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    INFO(e.path().string());
    ++files;
  }
  CHECK(files == 1);
}

