#pragma once
// A sweep's plan index (docs/sweeps.md, "The plan index"): every point's key and command line as
// planned, kept in the run store so that a shard, a resume or a gather reads them instead of
// parsing and keying every point of the sweep again; each then does work in proportion to its own
// points. STORE/plans/PREFIX-ID.json (PREFIX from the working directory and the sweep file's path:
// a new index of the same sweep replaces its older ones), where ID is the SHA-256 of recsim's version and commit, its
// executable (path, inode, size and modification time: a rebuild is another executable), the
// working directory, the sweep file's path and content, and the environment that places shipped
// files (RECSIM_DATA_DIR, RECSIM_MODELS_DIR). Paths are kept as the sweep gives them (relative to
// the working directory, which is in the ID). The index also records the SHA-256 of every
// file the keys cover (the scenarios, plans, profiles, traces and model files the points read); it
// is used only while each of them, and the sweep file, has that content, and is otherwise ignored
// (the sweep is planned afresh, and the index rewritten). Written atomically, all or nothing.
#include "sim/sweep/run_store.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace recsim {

struct PlannedPoint {
  std::string key;
  std::vector<std::string> arguments;  // after "recsim", without --out/--quiet/--jobs
  std::optional<nlohmann::ordered_json> stored;
  // The files whose content the key covers, each with the SHA-256 the key was made from (for a file
  // parsed rather than hashed into the key, taken before it was read: an edit meanwhile makes the
  // index stale, never the key).
  std::vector<std::pair<std::string, std::string>> files;
};

// The points of the sweep in `sweep_file` (`count` of them, in order) as the store's index holds
// them, or nullopt when it holds none that is current (absent, written for other content or another
// build, or unreadable). `stored` is left empty.
std::optional<std::vector<PlannedPoint>> read_plan_index(const RunStore& store, const std::string& sweep_file, std::size_t count);

// Writes the index of these points (the store must exist). When a file cannot be hashed or the index
// cannot be written, nothing is: the next start plans afresh.
void write_plan_index(const RunStore& store, const std::string& sweep_file, const std::vector<PlannedPoint>& points);

}  // namespace recsim
