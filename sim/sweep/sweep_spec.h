#pragma once
// A sweep file (docs/sweeps.md): a base scenario, a command (run, capacity or tune) with its
// options, fixed overrides, and axes over dotted scenario paths (values, ranges, zipped groups,
// repetitions). load_sweep validates the file (InputError naming the sweep's JSON path) and expands
// it into points, the last axis varying fastest.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct SweepColumn {
  std::string name;  // the table's column: the axis's "name", else its path
  std::string path;  // the scenario path it sets ("seed" included)
};

struct SweepPoint {
  std::size_t index = 0;
  std::vector<nlohmann::json> values;  // one per column
  int repetition = -1;                 // with "repetitions": 0..R-1, else -1
  std::vector<std::string> sets;       // --set PATH=VALUE: the fixed ones, then this point's
};

struct SweepSpec {
  std::string file;      // the sweep file as given
  std::string name;
  std::string scenario;  // the base scenario, resolved against the sweep file's directory
  std::string command;   // "run", "capacity" or "tune"
  std::vector<std::string> options;  // the command's own flags ("--precision", "0.01", "--grid", ...)
  std::vector<SweepColumn> columns;
  int repetitions = 0;   // 0: none
  std::vector<SweepPoint> points;
};

inline constexpr std::size_t kMaxSweepPoints = 100'000;

SweepSpec load_sweep(const std::string& path);
// The same from a parsed document; `path` locates the base scenario (errors do not name it).
SweepSpec parse_sweep(const nlohmann::json& document, const std::string& path);

// The arguments after "recsim" that compute one point (without --out, --quiet, --jobs), and with
// `seed` as --seed when the point is a repetition.
std::vector<std::string> point_arguments(const SweepSpec& spec, const SweepPoint& point, std::optional<std::uint64_t> seed);

// "sla.target_ms=50, scheduler.batch_size=64": a point in words, for messages.
std::string describe_point(const SweepSpec& spec, const SweepPoint& point);

}  // namespace recsim
