// The parameter server's lower tiers as real components (host hash map, RocksDB, a redis-server
// this test starts and stops), `recsim calibrate --tiers`, and reading tier profiles.
#include "support/build_paths.h"
#include "kernels/profiles/tier_profile.h"
#include "kernels/tiers/hash_map_store.h"
#include "kernels/tiers/redis_server_process.h"
#include "kernels/tiers/redis_store.h"
#include "kernels/tiers/rocksdb_store.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"
#include "workloads/input_error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <vector>

using namespace recsim;
using namespace recsim::test;

namespace {

// Every store answers a batch with the vectors it stored, in the batch's order, and refuses a key it
// does not hold.
void check_store(EmbeddingStore& store) {
  for (int dim : {8, 32}) {
    CAPTURE(dim);
    store.fill(500, dim);
    const std::vector<std::uint64_t> keys = {499, 0, 17, 256};
    std::vector<float> out(keys.size() * static_cast<std::size_t>(dim), -1.0f), expect(static_cast<std::size_t>(dim));
    store.lookup(keys, out.data());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      vector_of(keys[i], dim, expect.data());
      CHECK(std::equal(expect.begin(), expect.end(), out.begin() + static_cast<std::ptrdiff_t>(i) * dim));
    }
    const std::vector<std::uint64_t> absent = {500};
    CHECK_THROWS_AS(store.lookup(absent, out.data()), std::runtime_error);
    // A write overwrites a stored key and inserts a new one; both read back.
    const std::vector<std::uint64_t> written = {17, 500};
    std::vector<float> values(2 * static_cast<std::size_t>(dim));
    vector_of(4, dim, values.data());
    vector_of(9, dim, values.data() + dim);
    store.write(written, values.data());
    std::vector<float> back(values.size());
    store.lookup(written, back.data());
    CHECK(back == values);
    store.lookup(keys, out.data());  // the others are untouched
    vector_of(499, dim, expect.data());
    CHECK(std::equal(expect.begin(), expect.end(), out.begin()));
  }
}

}  // namespace

TEST_CASE("host hash map tier stores and returns vectors", "[tiers]") {
  HashMapStore store;
  check_store(store);
  CHECK(store.description().find("flat_hash_map") != std::string::npos);
}

TEST_CASE("RocksDB tier stores and returns vectors from its files", "[tiers]") {
  TempDir dir;
  RocksDbStore store(dir.file("db"));
  check_store(store);
  CHECK(store.description().find("RocksDB") != std::string::npos);
}

TEST_CASE("Redis tier: a redis-server started on loopback, used and stopped", "[tiers][redis]") {
  auto server = std::make_unique<RedisServerProcess>();
  const pid_t pid = server->pid();
  REQUIRE(pid > 0);
  REQUIRE(::kill(pid, 0) == 0);
  {
    RedisStore store("127.0.0.1", server->port());
    check_store(store);
    CHECK(store.description().find("redis-server") != std::string::npos);
  }
  server.reset();
  errno = 0;
  CHECK(::kill(pid, 0) == -1);
  CHECK(errno == ESRCH);
  CHECK_THROWS_WITH(RedisServerProcess("/nonexistent/redis-server"), Catch::Contains("did not start"));
}

TEST_CASE("recsim calibrate --tiers writes a tier profile, and bad flags exit 2", "[tiers][cli]") {
  TempDir dir;
  const auto out = dir.file("tiers.json");
  const auto r = run_recsim({"calibrate", "--tiers", "--rows", "2000", "--dims", "16,64", "--batches", "1,8,128",
                             "--min-time", "5", "--repeats", "5", "--dir", dir.path(), "--out", out, "--quiet"});
  REQUIRE(r.status == 0);
  const auto j = nlohmann::json::parse(read_file(out));
  CHECK(j["format"] == "recsim-tier-profile/1");
  CHECK(j["device"] == "tiers");
  CHECK(j["source"] == "measured");
  CHECK(j["provenance"]["command"].get<std::string>().find("--tiers") != std::string::npos);
  for (const char* tier : {"host_hash_map", "rocksdb", "redis"}) {
    CAPTURE(tier);
    const auto& t = j["tiers"][tier];
    CHECK(t["rows"] == 2000);
    for (const char* dim : {"16", "64"}) {
      const auto& points = t["dims"][dim];
      REQUIRE(points.size() == 3);
      CHECK(points[2]["keys"] == 128);
      for (const auto& p : points) {
        CHECK(p["median_ms"].get<double>() > 0);
        CHECK(p["p10_ms"].get<double>() <= p["median_ms"].get<double>());
        CHECK(p["median_ms"].get<double>() <= p["p90_ms"].get<double>());
        CHECK(p["samples"].get<int>() >= 5);
      }
      const auto& writes = t["write_dims"][dim];
      REQUIRE(writes.size() == 3);
      CHECK(writes[1]["keys"] == 8);
      CHECK(writes[1]["median_ms"].get<double>() > 0);
    }
  }
  // RocksDB's working files are gone.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);

  auto bad = run_recsim({"calibrate", "--tiers", "--device", "gpu"});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: --device: does not apply to --tiers\n");
  bad = run_recsim({"calibrate", "--tiers", "--tier-list", "hash_map"});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: --tier-list: expected host_hash_map, rocksdb or redis, got \"hash_map\"\n");
  bad = run_recsim({"calibrate", "--tiers", "--rows", "100", "--batches", "1,256"});
  CHECK(bad.status == 2);
  CHECK(bad.err == "recsim: error: --rows: expected at least the largest batch (256)\n");
  // The documented maximum, 2^31 vectors of 128 floats (about 1 TiB in the hash map): refused before
  // any is stored (the hash map's fill aborted).
  bad = run_recsim({"calibrate", "--tiers", "--tier-list", "host_hash_map", "--rows", "2147483648", "--dims", "128"});
  CHECK(bad.status == 2);
  CHECK(bad.err.rfind("recsim: error: --rows: storing 2.147e+09 vectors of 512 bytes in host_hash_map needs about 1056.0 GiB, more than 80% of "
                      "the ", 0) == 0);
  CHECK(run_recsim({"calibrate", "--tiers", "--rows", "2147483649"}).status == 2);  // beyond the arena's 32-bit index
}

TEST_CASE("tier profiles load into curves of lookup time against keys, and bad ones are named", "[tiers][profile]") {
  const auto shipped = load_tier_profile(recsim::test::source_dir() + "/kernels/profiles/tiers-amd-epyc-2c.json");
  CHECK(shipped.source == "measured");
  for (const char* tier : {"host_hash_map", "rocksdb", "redis"})
    for (int dim : {32, 64, 128}) {
      CHECK(shipped.curve(tier, dim).points().size() == 4);
      CHECK(shipped.write_curve(tier, dim).points().size() == 4);
    }
  CHECK_THROWS_WITH(shipped.curve("redis", 16), "the tier profile has no lookup timings at dimension 16 for \"redis\"");
  CHECK_THROWS_WITH(shipped.curve("ssd", 32), "the tier profile has no lookup timings for tier \"ssd\"");
  CHECK_THROWS_WITH(shipped.write_curve("redis", 16), "the tier profile has no write timings at dimension 16 for \"redis\"");

  TempDir dir;
  nlohmann::json doc = {
      {"format", "recsim-tier-profile/1"},
      {"device", "tiers"},
      {"source", "measured"},
      {"provenance", {{"date", "today"}}},
      {"tiers",
       {{"redis",
         {{"component", "test"},
          {"rows", 1000},
          {"dims",
           {{"64",
             {{{"keys", 1}, {"median_ms", 0.03}, {"p10_ms", 0.02}, {"p90_ms", 0.04}, {"samples", 10}},
              {{"keys", 101}, {"median_ms", 0.13}, {"p10_ms", 0.12}, {"p90_ms", 0.14}, {"samples", 10}}}}}}}}}}};
  const auto good = load_tier_profile(dir.write_json("t.json", doc));
  const LatencyCurve& c = good.curve("redis", 64);
  CHECK(c.seconds_at(1) == Approx(0.03e-3));
  CHECK(c.seconds_at(51) == Approx(0.08e-3));   // linear between the points
  CHECK(c.seconds_at(201) == Approx(0.23e-3));  // the last slope beyond
  auto error = [&](nlohmann::json d) {
    const auto file = dir.write_json("bad.json", d);
    try {
      load_tier_profile(file);
    } catch (const InputError& e) {
      return std::string(e.what()).substr(file.size() + 2);
    }
    return std::string("valid");
  };
  auto d = doc;
  d["format"] = "recsim-profile/1";
  CHECK(error(d) == "format: expected \"recsim-tier-profile/1\"");
  d = doc;
  d["tiers"]["redis"]["dims"]["sixty"] = d["tiers"]["redis"]["dims"]["64"];
  CHECK(error(d) == "tiers.redis.dims.sixty: expected a vector dimension (an integer >= 1) as the key");
  d = doc;
  d["tiers"]["redis"]["dims"]["64"][1]["keys"] = 1;
  CHECK(error(d).rfind("tiers.redis.dims.64: ", 0) == 0);
  d = doc;
  d["tiers"]["redis"]["dims"]["64"][0]["mean_ms"] = 1;
  CHECK(error(d).rfind("tiers.redis.dims.64.0.mean_ms:", 0) == 0);
  d = doc;
  d["tiers"]["redis"]["dims"]["64"][0]["median_ms"] = 0;
  CHECK(error(d).rfind("tiers.redis.dims.64.0.median_ms:", 0) == 0);
  // Inverted quantiles are refused, not used.
  d = doc;
  d["tiers"]["redis"]["dims"]["64"][1]["p10_ms"] = 0.2;
  CHECK(error(d) == "tiers.redis.dims.64.1.p10_ms: expected at most median_ms (0.13): quantiles are ordered, got 0.2");
  d = doc;
  d["tiers"]["redis"]["dims"]["64"][1]["p90_ms"] = 0.1;
  CHECK(error(d) == "tiers.redis.dims.64.1.p90_ms: expected at least median_ms (0.13): quantiles are ordered, got 0.1");
}
