// The run-level fuzz harness without libFuzzer (run_level.h), built with the project and run by
// CTest: replays the given inputs, then makes N mutations of them aimed at the values a run
// survives worst (every numeric value of a scenario, in turn, set to an extreme of its kind: zero,
// the smallest and largest doubles, huge integers, tiny fractions; keys removed; the command
// switched to a capacity search, or for a fleet to a plan), each run under the harness's wall budget. Deterministic for a
// seed. Prints one line: executions, input errors, runs; exits 1 after the first finding (the
// harness aborts, the input is saved as run-fuzz-finding.txt in the working directory first).
//
// Usage: recsim_run_fuzz [--mutations N] [--seed S] [--budget SECONDS] [--plans] FILE...
// (--plans: every mutation of a fleet is planned.)
#include "run_level.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace {

using nlohmann::json;

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The seed's relative file names (profiles, traces, size tables) made absolute from its directory,
// so that it runs wherever the harness resolves paths.
void absolute_paths(json& j, const std::filesystem::path& dir) {
  if (j.is_object() || j.is_array()) {
    for (auto& v : j) absolute_paths(v, dir);
  } else if (j.is_string()) {
    const std::string v = j.get<std::string>();
    std::error_code ec;
    if (!v.empty() && v.front() != '/' && v.find('/') != std::string::npos && std::filesystem::exists(dir / v, ec))
      j = std::filesystem::weakly_canonical(dir / v, ec).string();
  }
}

std::string read_seed(const std::string& path) {
  const std::string text = read(path);
  try {
    json doc = json::parse(text);
    absolute_paths(doc, std::filesystem::absolute(path).parent_path());
    return doc.dump();
  } catch (const json::exception&) {
    return text;
  }
}

// A key as a JSON pointer token (~ and / escaped).
std::string escape(const std::string& key) {
  std::string out;
  for (const char c : key) out += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return out;
}

// Every numeric leaf's JSON pointer.
void numeric_leaves(const json& j, const std::string& at, std::vector<std::string>& out) {
  if (j.is_object())
    for (const auto& [k, v] : j.items()) numeric_leaves(v, at + "/" + escape(k), out);
  else if (j.is_array())
    for (std::size_t i = 0; i < j.size(); ++i) numeric_leaves(j[i], at + "/" + std::to_string(i), out);
  else if (j.is_number())
    out.push_back(at);
}

void all_keys(const json& j, const std::string& at, std::vector<std::string>& out) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    out.push_back(at + "/" + escape(k));
    all_keys(v, at + "/" + escape(k), out);
  }
}

const std::vector<json>& extremes() {
  static const std::vector<json> values = {
      0, -1, 1, 2, 1e-300, 4.9e-324, 1e-9, 1e-6, 0.5, 0.999999, 1e6, 1e9, 1e12, 1e15, 1.7e308, 2147483647, 2147483648LL,
      4294967296LL, 9007199254740993LL, 9223372036854775807LL, -2147483648LL, 65536, 100000, 1000000000};
  return values;
}

std::string mutate(const std::string& seed, std::mt19937_64& rng, bool plans) {
  json doc;
  try {
    doc = json::parse(seed);
  } catch (const json::exception&) {
    return seed;
  }
  const bool fleet = doc.is_object() && doc.value("format", json(0)) == json(2);
  std::vector<std::string> numbers, keys;
  numeric_leaves(doc, "", numbers);
  all_keys(doc, "", keys);
  const int edits = 1 + static_cast<int>(rng() % 3);
  for (int e = 0; e < edits; ++e) {
    const auto kind = rng() % 10;
    if (kind < 8 && !numbers.empty()) {
      const auto& at = numbers[rng() % numbers.size()];
      doc[json::json_pointer(at)] = extremes()[rng() % extremes().size()];
    } else if (kind == 8 && !keys.empty()) {
      const json::json_pointer at(keys[rng() % keys.size()]);
      try {
        doc[at.parent_pointer()].erase(at.back());
      } catch (const json::exception&) {
      }
    }
  }
  // One in five a capacity search; one in ten of a fleet's a plan (with --plans, every fleet's),
  // half of those with one of the plan's numbers at an extreme.
  const auto command = rng() % 10;
  if ((command == 2 || plans) && fleet) {
    static const std::vector<std::string> plan_numbers = {"/targets/0/qps", "/capacity/queries", "/capacity/precision",
                                                          "/verify/queries", "/verify/warmup_queries", "/verify/max_attempts"};
    json patch = json::object();
    if (rng() % 2 == 0) {
      const auto& at = plan_numbers[rng() % plan_numbers.size()];
      const json value = extremes()[rng() % extremes().size()];
      if (at == "/targets/0/qps") patch["targets"] = json::array({{{"qps", value}}});
      else patch[json::json_pointer(at)] = value;
    }
    return "#plan " + patch.dump() + "\n" + doc.dump();
  }
  if (command < 2) return "#capacity\n" + doc.dump();
  return doc.dump();
}

}  // namespace

int main(int argc, char** argv) {
  long mutations = 0;
  std::uint64_t seed = 1;
  double budget = 10.0;
  bool plans = false;
  std::vector<std::string> seeds;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--mutations" && i + 1 < argc) mutations = std::atol(argv[++i]);
    else if (a == "--seed" && i + 1 < argc) seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--budget" && i + 1 < argc) budget = std::atof(argv[++i]);
    else if (a == "--plans") plans = true;
    else seeds.push_back(read_seed(a));
  }
  if (seeds.empty() || mutations < 0 || !(budget > 0)) {
    std::fprintf(stderr, "usage: recsim_run_fuzz [--mutations N] [--seed S] [--budget SECONDS] [--plans] FILE...\n");
    return 2;
  }
  long executions = 0, input_errors = 0, too_large = 0, runs = 0, capacity_runs = 0, plan_runs = 0;
  auto one = [&](const std::string& input) {
    std::ofstream("run-fuzz-finding.txt", std::ios::binary) << input;  // kept if the harness aborts
    const auto outcome = recsim::fuzz::run_level(input, budget);
    ++executions;
    (outcome == recsim::fuzz::RunOutcome::ran ? runs : outcome == recsim::fuzz::RunOutcome::too_large ? too_large : input_errors) += 1;
    if (outcome == recsim::fuzz::RunOutcome::ran && input.rfind("#capacity\n", 0) == 0) ++capacity_runs;
    if (outcome == recsim::fuzz::RunOutcome::ran && input.rfind("#plan", 0) == 0) ++plan_runs;
  };
  for (const auto& s : seeds) one(s);
  std::mt19937_64 rng(seed);
  for (long m = 0; m < mutations; ++m) one(mutate(seeds[rng() % seeds.size()], rng, plans));
  std::remove("run-fuzz-finding.txt");
  std::printf("run-level fuzzing: %ld executions (%zu seeds, %ld mutations, seed %llu): %ld input errors, %ld too large to run here, "
              "%ld runs (%ld capacity searches, %ld plans), no finding\n",
              executions, seeds.size(), mutations, static_cast<unsigned long long>(seed), input_errors, too_large, runs, capacity_runs,
              plan_runs);
  return 0;
}
