// Golden results: every shipped scenario, shortened as tests/golden/ records, gives exactly the
// results recorded there (scripts/golden writes them; only the wall time is left out). A change to
// the engine that is meant to keep results (a redesign, a speed-up) must keep these byte for byte;
// one that moves them rewrites them with scripts/golden and says why.
#include "support/build_paths.h"
#include "support/cli_runner.h"
#include "support/temp_dir.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>

using namespace recsim::test;

TEST_CASE("shipped scenarios give their golden results", "[golden]") {
  namespace fs = std::filesystem;
  const fs::path source = recsim::test::source_dir();
  std::set<std::string> shipped, recorded;
  for (const auto& e : fs::recursive_directory_iterator(source / "scenarios"))
    // Sweeps are not scenarios; the regression suite's scenarios have their own expected results
    // (recsim check scenarios/suite, a test of its own).
    if (e.path().extension() == ".json" && fs::relative(e.path(), source).string().rfind("scenarios/sweeps/", 0) != 0 &&
        fs::relative(e.path(), source).string().rfind("scenarios/suite/", 0) != 0 &&
        fs::relative(e.path(), source).string().rfind("scenarios/plans/", 0) != 0)
      shipped.insert(fs::relative(e.path(), source).string());
  TempDir dir;
  for (const auto& e : fs::directory_iterator(source / "tests/golden")) {
    const auto golden = nlohmann::json::parse(std::ifstream(e.path()));
    const std::string scenario = golden.at("scenario").get<std::string>();
    recorded.insert(scenario);
    CAPTURE(scenario);
    std::vector<std::string> args = {"run", (source / scenario).string(), "--out", dir.file("r.json"), "--quiet"};
    for (const auto& s : golden.at("set")) {
      args.push_back("--set");
      args.push_back(s.get<std::string>());
    }
    const auto r = run_recsim(args);
    REQUIRE(r.status == 0);
    auto results = nlohmann::json::parse(std::ifstream(dir.file("r.json")));
    results.at("engine").erase("wall_seconds");
    results.erase("provenance");  // where and how the file was made, not a result
    // Paths in the results (profiles, model files) are the scenario's, resolved: relative to the
    // source tree in the golden files, absolute here.
    std::string actual = results.dump(1);
    const std::string prefix = source.string() + "/";
    for (auto at = actual.find(prefix); at != std::string::npos; at = actual.find(prefix, at)) actual.erase(at, prefix.size());
    CHECK(actual == golden.at("results").dump(1));
  }
  CHECK(recorded == shipped);  // every shipped scenario has its golden results (scripts/golden)
}
