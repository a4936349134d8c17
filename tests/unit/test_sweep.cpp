// recsim sweep: expansion of axes, exact errors before any work, the run store surviving kill -9,
// shards that add up to the whole sweep, and each point equal to the command run by hand.
#include "support/build_paths.h"
#include "support/cli_runner.h"
#include "support/scenarios.h"
#include "support/temp_dir.h"

#include "sim/provenance/content_hash.h"
#include "sim/provenance/file_memo.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/scenario/scenario_sections.h"
#include "sim/sweep/sweep_runner.h"
#include "sim/sweep/sweep_spec.h"
#include "workloads/input_error.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <fstream>
#include <sstream>
#include <thread>

using namespace recsim;
using namespace recsim::test;
using json = nlohmann::json;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A sweep of `loads` x `seeds` quick M/M/2 runs.
json mmc_sweep(const std::string& scenario, int loads, int repetitions) {
  return {{"name", "t"},
          {"scenario", scenario},
          {"command", "run"},
          {"set", {{"run.queries", 4000}, {"run.warmup_queries", 400}}},
          {"axes", json::array({{{"path", "workload.arrival.qps"}, {"name", "qps"},
                                 {"range", {{"from", 200}, {"to", 200 * loads}, {"step", 200}}}}})},
          {"repetitions", repetitions}};
}

std::string sweep_error(const json& sweep, TempDir& dir) {
  const auto file = dir.write_json("bad.json", sweep);
  try {
    load_sweep(file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a sweep expands its axes: grid, zip, ranges, repetitions, the last axis fastest", "[sweep]") {
  TempDir dir;
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 2000, 200));
  const json sweep = {{"scenario", "s.json"},
                      {"command", "capacity"},
                      {"options", {{"precision", 0.05}}},
                      {"axes", json::array({{{"path", "sla.target_ms"}, {"values", {5, 10}}},
                                            {{"zip", json::array({{{"path", "platform.servers.0.cpu_cores"}, {"name", "cores"}, {"values", {1, 2, 4}}},
                                                                  {{"path", "workload.arrival.qps"}, {"range", {{"from", 0.5}, {"to", 1.5}, {"count", 3}}}}})}},
                                            {{"path", "run.queries"}, {"range", {{"from", 1000}, {"to", 4000}, {"factor", 2}}}}})},
                      {"repetitions", 2}};
  const auto spec = load_sweep(dir.write_json("sweep.json", sweep));
  CHECK(spec.name == "sweep");  // the file's stem
  CHECK(spec.scenario == dir.file("s.json"));
  REQUIRE(spec.columns.size() == 4);
  CHECK(spec.columns[1].name == "cores");
  CHECK(spec.columns[2].name == "workload.arrival.qps");
  REQUIRE(spec.points.size() == 2 * 3 * 3 * 2);  // 1000, 2000, 4000 queries
  const auto& p = spec.points[7];  // sla 5, zip index 1, queries index 0, repetition 1
  CHECK(p.values[0] == 5);
  CHECK(p.values[1] == 2);
  CHECK(p.values[2] == 1.0);
  CHECK(p.values[3] == 1000);
  CHECK(p.repetition == 1);
  CHECK(point_arguments(spec, p, 8) == std::vector<std::string>{"capacity", dir.file("s.json"), "--set", "sla.target_ms=5", "--set",
                                                                 "platform.servers.0.cpu_cores=2", "--set", "workload.arrival.qps=1.0",
                                                                 "--set", "run.queries=1000", "--seed", "8", "--precision", "0.05"});
  CHECK(describe_point(spec, p) == "sla.target_ms=5, cores=2, workload.arrival.qps=1.0, run.queries=1000, repetition=1");
  // Decimal steps without binary noise.
  const json decimal = {{"scenario", "s.json"}, {"axes", json::array({{{"path", "sla.target_ms"}, {"range", {{"from", 0.1}, {"to", 0.5}, {"step", 0.1}}}}})}};
  const auto d = load_sweep(dir.write_json("d.json", decimal));
  REQUIRE(d.points.size() == 5);
  CHECK(d.points[2].sets.back() == "sla.target_ms=0.3");
  // Integer ranges are exact: never beyond "to", and no wrap past 2^63 - 1.
  auto values_of = [&](const json& range) {
    const json one = {{"scenario", "s.json"}, {"axes", json::array({{{"path", "seed"}, {"range", range}}})}};
    std::vector<std::int64_t> v;
    for (const auto& point : load_sweep(dir.write_json("i.json", one)).points) v.push_back(point.values[0].get<std::int64_t>());
    return v;
  };
  const std::int64_t top = INT64_MAX;
  CHECK(values_of({{"from", top - 10}, {"to", top}, {"step", 4}}) == std::vector<std::int64_t>{top - 10, top - 6, top - 2});
  CHECK(values_of({{"from", top - 2}, {"to", top}, {"step", 1}}) == std::vector<std::int64_t>{top - 2, top - 1, top});
  CHECK(values_of({{"from", 4611686018427387904LL}, {"to", top}, {"factor", 2}}) == std::vector<std::int64_t>{4611686018427387904LL});
  CHECK(values_of({{"from", 9007199254740993LL}, {"to", 9007199254740995LL}, {"step", 1}}) ==
        std::vector<std::int64_t>{9007199254740993LL, 9007199254740994LL, 9007199254740995LL});  // beyond a double's integers
  CHECK(values_of({{"from", 1}, {"to", 1000}, {"factor", 10}}) == std::vector<std::int64_t>{1, 10, 100, 1000});
}

TEST_CASE("a bad sweep file: one line naming the file and the JSON path", "[sweep][errors]") {
  TempDir dir;
  const auto f = dir.file("bad.json");
  json base = {{"scenario", "s.json"}, {"axes", json::array({{{"path", "seed"}, {"values", {1, 2}}}})}};
  auto with = [&](const std::string& pointer, const json& value) {
    json s = base;
    s[json::json_pointer(pointer)] = value;
    return s;
  };
  CHECK(sweep_error(with("/command", "optimise"), dir) == f + ": command: expected one of \"run\", \"capacity\", \"tune\", \"plan\", got \"optimise\"");
  CHECK(sweep_error(with("/axes/0/values", json::array()), dir) == f + ": axes.0.values: expected a non-empty array");
  CHECK(sweep_error(with("/axes/0/values", {1, 1}), dir) == f + ": axes.0.values.1: lists 1 twice");
  CHECK(sweep_error(with("/axes/0/typo", 1), dir) == f + ": axes.0.typo: unknown key");
  CHECK(sweep_error(with("/axes/1", {{"path", "seed"}, {"values", {3}}}), dir) == f + ": axes.1.path: \"seed\" is already swept by another axis");
  CHECK(sweep_error(with("/axes/0", {{"path", "x"}, {"range", {{"from", 5}, {"to", 1}, {"step", 1}}}}), dir) ==
        f + ": axes.0.range.to: expected a number >= from (5), got 1");
  CHECK(sweep_error(with("/axes/0", {{"path", "x"}, {"range", {{"from", 1}, {"to", 5}}}}), dir) ==
        f + ": axes.0.range: expected exactly one of \"step\", \"count\" or \"factor\"");
  CHECK(sweep_error(with("/axes/0", {{"zip", json::array({{{"path", "a"}, {"values", {1, 2}}}, {{"path", "b"}, {"values", {1}}}})}}), dir) ==
        f + ": axes.0.zip.1: expected 2 values, as the first zipped axis has, got 1");
  CHECK(sweep_error(with("/repetitions", 3), dir) ==
        f + ": repetitions: an axis already sets \"seed\": give the seeds there or use repetitions, not both");
  CHECK(sweep_error(with("/axes/0", {{"path", "a"}, {"range", {{"from", 1}, {"to", 1000000}, {"step", 1}}}}), dir) ==
        f + ": axes.0.range: expected at most 100000 values");
  CHECK(sweep_error(with("/options", {{"precision", 0.01}}), dir) ==
        f + ": options: \"run\" takes no options (use \"set\" for scenario values)");

  // Through the command: a point whose value the scenario refuses is named with its axis values,
  // exit 2, one line, and no store is created.
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 2000, 200));
  const auto sweep = dir.write_json("sweep.json", {{"scenario", "s.json"},
                                                  {"axes", json::array({{{"path", "workload.arrival.qps"}, {"name", "qps"}, {"values", {100, -1}}}})}});
  const auto r = run_recsim({"sweep", sweep, "--store", dir.file("store")});
  CHECK(r.status == 2);
  CHECK(r.err == "recsim: error: " + sweep + ": point 1 (qps=-1): workload.arrival.qps: expected a number > 0, got -1\n");
  CHECK_FALSE(std::filesystem::exists(dir.file("store")));
  const auto shard = run_recsim({"sweep", sweep, "--shard", "2/2"});
  CHECK(shard.status == 2);
  CHECK(shard.err == "recsim: error: --shard: expected I/N with 0 <= I < N, got \"2/2\"\n");
}

TEST_CASE("a sweep killed with kill -9 and started again loses nothing and gives the uninterrupted table", "[sweep][store]") {
  TempDir dir;
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 4000, 400));
  const auto sweep = dir.write_json("sweep.json", mmc_sweep("s.json", 8, 3));  // 24 points
  REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("whole"), "--quiet"}).status == 0);
  const std::string whole = read_text(dir.file("whole/table.csv"));
  CHECK(std::count(whole.begin(), whole.end(), '\n') == 25);

  const std::string store = dir.file("killed");
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::execl(recsim::test::recsim_binary().c_str(), "recsim", "sweep", sweep.c_str(), "--store", store.c_str(), "--quiet", "--jobs", "2", nullptr);
    ::_exit(127);
  }
  // Kill it once some points are in the store, and before it is done.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  namespace fs = std::filesystem;
  auto points = [&] {
    std::error_code ec;
    std::size_t n = 0;
    for (auto it = fs::directory_iterator(store + "/points", ec); !ec && it != fs::directory_iterator(); ++it) ++n;
    return n;
  };
  while (points() < 3 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::size_t before = points();
  INFO("points in the store when killed: " << before);
  CHECK(before >= 3);
  CHECK_FALSE(fs::exists(store + "/table.csv"));
  const auto again = run_recsim({"sweep", sweep, "--store", store});
  REQUIRE(again.status == 0);
  CHECK(read_text(store + "/table.csv") == whole);
  // Nothing left half-made: every point file parses, no raw results or temporary files remain.
  for (const auto& e : fs::directory_iterator(store + "/points")) CHECK_NOTHROW(json::parse(read_text(e.path().string())));
  std::string left;
  for (const auto& e : fs::directory_iterator(store + "/raw")) {
    left += ' ';
    left += e.path().filename().string();
  }
  INFO("left in raw/:" << left);
  CHECK(left.empty());
  // A third start computes nothing.
  const auto third = run_recsim({"sweep", sweep, "--store", store});
  CHECK(third.out.find(": 0 computed") != std::string::npos);
}

TEST_CASE("three sweeps at once on one store: each point computed once, every sweep succeeds, the same table", "[sweep][store]") {
  TempDir dir;
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 4000, 400));
  const auto sweep = dir.write_json("sweep.json", mmc_sweep("s.json", 6, 2));  // 12 points
  REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("alone"), "--quiet"}).status == 0);
  // They reported spurious failures (exit 1) when one removed the raw result another was about to read.
  std::vector<std::future<CliResult>> runs;
  for (int k = 0; k < 3; ++k)
    runs.push_back(std::async(std::launch::async, [&] { return run_recsim({"sweep", sweep, "--store", dir.file("shared"), "--jobs", "2"}); }));
  int computed = 0;
  for (auto& r : runs) {
    const CliResult c = r.get();
    INFO(c.out << c.err);
    CHECK(c.status == 0);
    CHECK(c.err.empty());
    const auto at = c.out.find(" points: ");
    REQUIRE(at != std::string::npos);
    computed += std::stoi(c.out.substr(at + 9));
  }
  CHECK(computed == 12);
  CHECK(read_text(dir.file("shared/table.csv")) == read_text(dir.file("alone/table.csv")));
}

TEST_CASE("a stored point counts as done only when its result is whole and unchanged", "[sweep][store]") {
  TempDir dir;
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 4000, 400));
  const auto sweep = dir.write_json("sweep.json", mmc_sweep("s.json", 3, 1));  // 3 points
  const std::string store = dir.file("store");
  REQUIRE(run_recsim({"sweep", sweep, "--store", store, "--quiet"}).status == 0);
  const std::string table = read_text(store + "/table.csv");
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(store + "/points")) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() == 3);
  // An empty result, a string, and a changed number: each is computed again, the table as before.
  auto edit = [&](const std::string& file, const std::function<void(json&)>& change) {
    json point = json::parse(read_text(file));
    change(point);
    std::ofstream(file) << point.dump(1);
  };
  edit(files[0], [](json& p) { p["result"] = json::object(); });
  edit(files[1], [](json& p) { p["result"] = "done"; });
  edit(files[2], [](json& p) { p["result"]["throughput_qps"] = 1e9; });
  const auto again = run_recsim({"sweep", sweep, "--store", store});
  REQUIRE(again.status == 0);
  CHECK(again.out.find(": 3 computed") != std::string::npos);
  CHECK(read_text(store + "/table.csv") == table);
  for (const auto& file : files) CHECK(json::parse(read_text(file)).contains("result_sha256"));
}

TEST_CASE("shards add up to the whole sweep, and a point is the command run by hand", "[sweep][shard]") {
  TempDir dir;
  auto scenario = mmc_document(2, 1000, 1.0, 4000, 400);
  scenario["seed"] = 7;
  dir.write_json("s.json", scenario);
  const auto sweep = dir.write_json("sweep.json", mmc_sweep("s.json", 5, 2));  // 10 points
  REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("whole"), "--quiet"}).status == 0);
  for (const char* shard : {"0/3", "1/3"}) REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("sharded"), "--shard", shard, "--quiet"}).status == 0);
  const auto early = run_recsim({"sweep", sweep, "--store", dir.file("sharded"), "--gather"});
  CHECK(early.status == 1);
  CHECK(early.err == "recsim sweep: 3 of 10 points have no result in " + dir.file("sharded") +
                         " yet: run the remaining shards (or the sweep) again\n");
  REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("sharded"), "--shard", "2/3", "--quiet"}).status == 0);
  REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("sharded"), "--gather", "--quiet"}).status == 0);
  CHECK(read_text(dir.file("sharded/table.csv")) == read_text(dir.file("whole/table.csv")));

  // Point 3: qps 400, repetition 1, so seed 7 + 1 (mmc_document's seed is 7).
  std::string line;
  std::istringstream jsonl(read_text(dir.file("whole/table.jsonl")));
  for (int i = 0; i <= 3; ++i) std::getline(jsonl, line);
  const json row = json::parse(line);
  CHECK(row["qps"] == 400);
  CHECK(row["repetition"] == 1);
  CHECK(row["seed"] == 8);
  const auto point = json::parse(read_text(dir.file("whole/points/" + row["key"].get<std::string>() + ".json")));
  CHECK(point["command_line"] == "recsim run " + dir.file("s.json") + " --set run.queries=4000 --set run.warmup_queries=400 --set workload.arrival.qps=400 --seed 8");
  REQUIRE(run_recsim({"run", dir.file("s.json"), "--set", "run.queries=4000", "--set", "run.warmup_queries=400", "--set",
                      "workload.arrival.qps=400", "--seed", "8", "--out", dir.file("by-hand.json"), "--quiet"})
              .status == 0);
  auto by_hand = json::parse(read_text(dir.file("by-hand.json")));
  auto swept = point["result"];
  // Computed in a forked child, it records the command line the command started afresh would.
  CHECK(swept["provenance"]["command_line"] ==
        point["command_line"].get<std::string>() + " --out " + dir.file("whole/raw/" + row["key"].get<std::string>() + ".json") + " --quiet");
  for (auto* j : {&by_hand, &swept}) {
    (*j)["engine"].erase("wall_seconds");
    (*j)["provenance"].erase("command_line");
  }
  CHECK(swept.dump() == by_hand.dump());
  CHECK(row["p95_ms"] == by_hand["latency_ms"]["p95"]);
}

TEST_CASE("a file's hash and parse are kept while the file is unchanged, and redone when it changes", "[sweep][memo]") {
  TempDir dir;
  const std::string path = dir.write("f.txt", "one");
  FileMemo<std::string> memo;
  int made = 0;
  const auto make = [&made](const std::string& p) {
    ++made;
    return sha256_hex(p);
  };
  memo.get(path, make);
  memo.get(path, make);
  CHECK(made == 1);  // read once
  dir.write("f.txt", "two, longer");  // a new size (and time): made again
  memo.get(path, make);
  CHECK(made == 2);
  // The hash of a file follows its content, through the process-wide memo too.
  CHECK(sha256_file_hex(path) == sha256_hex("two, longer"));
  dir.write("f.txt", "three, other");
  CHECK(sha256_file_hex(path) == sha256_hex("three, other"));
}

TEST_CASE("a sweep's point is parsed once: the command validating it reuses the scenario just loaded", "[sweep][memo]") {
  TempDir dir;
  const std::string path = dir.write_json("s.json", mmc_document(2, 1000, 1.0, 4000, 400));
  const std::vector<std::string> sets = {"workload.arrival.qps=1500"};
  const Scenario loaded = load_scenario(path, sets);
  CHECK(loaded.arrival.qps == 1500);
  Scenario marked = loaded;
  marked.seed = 424242;  // a scenario the file cannot give: seen only when reused
  {
    LoadedScenarioReuse reuse(path, sets, marked);
    CHECK(load_scenario(path, sets).seed == 424242);
    CHECK(load_scenario(path, {"workload.arrival.qps=1500", "seed=3"}).seed == 3);  // other overrides: read again
    CHECK(load_scenario(path, {}).arrival.qps == 1000);
    // From another thread: read again.
    CHECK(std::async(std::launch::async, [&] { return load_scenario(path, sets).seed; }).get() == loaded.seed);
  }
  CHECK(load_scenario(path, sets).seed == loaded.seed);  // once it is gone, the file is read again
}

TEST_CASE("a profile's fitted curves are computed once per profile and refitted when the file changes", "[sweep][memo]") {
  TempDir dir;
  const std::string shipped = recsim::test::source_dir() + "/kernels/profiles/cpu-amd-epyc-2c.json";
  const std::string path = dir.write("p.json", read_text(shipped));
  int fits = 0;
  const auto fit = [&fits](const LatencyProfile& p) {
    ++fits;
    return p.curve("dlrm-rmc1", "model").seconds_at(64);
  };
  ProfileCache one, two;
  const double first = one.derived<double>(path, "rmc1/64", fit);
  CHECK(two.derived<double>(path, "rmc1/64", fit) == first);  // another parse, the same profile: kept
  CHECK(fits == 1);
  CHECK(first == ProfileCache().load(path).curve("dlrm-rmc1", "model").seconds_at(64));
  // The same file rewritten (a new size and time): parsed and fitted again.
  auto doc = json::parse(read_text(shipped));
  doc["provenance"]["command"] = doc["provenance"]["command"].get<std::string>() + " (edited)";
  dir.write_json("p.json", doc);
  ProfileCache three;
  CHECK(three.derived<double>(path, "rmc1/64", fit) == first);
  CHECK(fits == 2);
  // What make throws passes through, and nothing is kept.
  CHECK_THROWS_AS(three.derived<double>(path, "missing", [](const LatencyProfile& p) { return p.curve("no-such-model", "m").seconds_at(1); }),
                  InputError);
  CHECK_THROWS_AS(three.derived<double>(path, "missing", [](const LatencyProfile& p) { return p.curve("no-such-model", "m").seconds_at(1); }),
                  InputError);
}

TEST_CASE("the plan index: a shard or a gather plans only its own points, and a changed file plans afresh", "[sweep][index]") {
  TempDir dir;
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 4000, 400));
  const auto sweep = dir.write_json("sweep.json", mmc_sweep("s.json", 6, 1));  // 6 points
  const std::string store = dir.file("store");
  std::vector<std::size_t> validated;
  std::mutex mutex;
  const CommandValidator counting = [&](const std::vector<std::string>& args, std::string*) {
    std::lock_guard<std::mutex> lock(mutex);
    validated.push_back(validated.size());
    return args.empty() ? 2 : 0;
  };
  // No index yet: every point is keyed and validated, whatever the shard.
  const auto shard0 = [](std::size_t i) { return i % 3 == 0; };
  SweepPlan first = plan_sweep(sweep, store, counting, false, shard0);
  CHECK_FALSE(first.from_index);
  CHECK(validated.size() == 6);
  first.store.create();
  remember_plan(first);
  // With it: the same keys and command lines, and only the shard's two points validated.
  validated.clear();
  SweepPlan again = plan_sweep(sweep, store, counting, false, shard0);
  CHECK(again.from_index);
  CHECK(validated.size() == 2);
  REQUIRE(again.points.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(again.points[i].key == first.points[i].key);
    CHECK(again.points[i].arguments == first.points[i].arguments);
  }
  // Through the command: shards and the gather give the table of the whole sweep run at once.
  REQUIRE(run_recsim({"sweep", sweep, "--store", dir.file("whole"), "--quiet"}).status == 0);
  for (const char* shard : {"0/3", "1/3", "2/3"}) REQUIRE(run_recsim({"sweep", sweep, "--store", store, "--shard", shard, "--quiet"}).status == 0);
  REQUIRE(run_recsim({"sweep", sweep, "--store", store, "--gather", "--quiet"}).status == 0);
  CHECK(read_text(store + "/table.csv") == read_text(dir.file("whole/table.csv")));
  // The base scenario edited (another load): the index is not used, and the keys follow the file.
  auto edited = mmc_document(2, 1000, 1.0, 4000, 400);
  edited["seed"] = 99;
  dir.write_json("s.json", edited);
  validated.clear();
  SweepPlan changed = plan_sweep(sweep, store, counting, false, shard0);
  CHECK_FALSE(changed.from_index);
  CHECK(validated.size() == 6);
  CHECK(changed.points[0].key != first.points[0].key);
  // The sweep file edited: another index (the old one is not read for it), which replaces the old.
  auto wider = mmc_sweep("s.json", 7, 1);
  dir.write_json("sweep.json", wider);
  SweepPlan widened = plan_sweep(sweep, store, counting, false, shard0);
  CHECK_FALSE(widened.from_index);
  const auto indexes = [&] {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(store + "/plans")) names.push_back(e.path().filename().string());
    return names;
  };
  remember_plan(widened);
  CHECK(indexes().size() == 1);  // the sweep's older indexes (the commands', of the earlier content) are gone
  CHECK(plan_sweep(sweep, store, counting, false, shard0).from_index);
}

TEST_CASE("a sweep planned on several threads names the first bad point in order, as on one", "[sweep][errors]") {
  TempDir dir;
  dir.write_json("s.json", mmc_document(2, 1000, 1.0, 2000, 200));
  std::vector<int> qps;
  for (int i = 0; i < 40; ++i) qps.push_back(i == 13 || i == 31 ? -1 - i : 100 + i);  // points 13 and 31 are refused
  const auto sweep = dir.write_json("sweep.json", {{"scenario", "s.json"}, {"axes", json::array({{{"path", "workload.arrival.qps"}, {"name", "qps"}, {"values", qps}}})}});
  const std::string expected = "recsim: error: " + sweep + ": point 13 (qps=-14): workload.arrival.qps: expected a number > 0, got -14\n";
  for (const char* jobs : {"1", "4"}) {
    const auto r = run_recsim({"sweep", sweep, "--store", dir.file("store"), "--dry-run", "--jobs", jobs});
    CHECK(r.status == 2);
    CHECK(r.err == expected);
  }
  // A command's own refusal (the validation, not the parse) is ordered the same way.
  const auto ok = dir.write_json("ok.json", {{"scenario", "s.json"}, {"axes", json::array({{{"path", "seed"}, {"range", {{"from", 1}, {"to", 40}, {"step", 1}}}}})}});
  const CommandValidator refuse = [](const std::vector<std::string>& args, std::string* error) {
    const bool bad = args[3] == "seed=9" || args[3] == "seed=30";
    if (bad) *error = "refused " + args[3];
    return bad ? 2 : 0;
  };
  for (int jobs : {1, 4}) {
    INFO("jobs " << jobs);
    try {
      plan_sweep(ok, dir.file("store2"), refuse, false, {}, jobs);
      FAIL("no point refused");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()) == ok + ": point 8 (seed=9): refused seed=9");
    }
  }
}
