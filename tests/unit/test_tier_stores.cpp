// The parameter server's lower tiers as real components (host hash map, RocksDB, a redis-server
// this test starts and stops) and `recsim calibrate --tiers`.
#include "kernels/tiers/hash_map_store.h"
#include "kernels/tiers/redis_server_process.h"
#include "kernels/tiers/redis_store.h"
#include "kernels/tiers/rocksdb_store.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

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
}
