#pragma once
// The sweep run store (docs/sweeps.md): one directory holding each finished point's result under a
// key derived from what determines it, so that a sweep killed at any moment (kill -9 included) and
// started again redoes only the points without a result, and never reads a partial file.
//
//   DIR/points/KEY.json   a finished point: {"key", "sweep", "point", "columns", "arguments", "result"}
//   DIR/raw/KEY.json      the command's own --out file, before it is wrapped into points/
//   DIR/logs/KEY.err      the command's stderr (kept for failed points)
//   DIR/table.csv, DIR/table.jsonl   the aggregated table, once every point has a result
//
// Every file is written atomically (sim/engine/atomic_file.h): the command writes raw/ itself, the
// sweep wraps it into points/ and then removes it. A kill between the two leaves raw/KEY.json,
// which the next start adopts instead of recomputing.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace recsim {

// KEY: SHA-256 of recsim's version, the command and its options, the final scenario (after the
// overrides, with the seed) and the SHA-256 of each file the scenario reads.
std::string point_key(const std::string& recsim_version, const std::vector<std::string>& command_and_options,
                      const std::string& scenario_sha256, std::vector<std::string> input_sha256s);

class RunStore {
 public:
  // Throws InputError naming `flag` when DIR exists and is not a directory. Creates nothing.
  RunStore(std::string dir, const std::string& flag);
  // Creates the directories when missing (before the first write); throws InputError naming the flag.
  void create() const;

  const std::string& dir() const { return dir_; }
  std::string point_file(const std::string& key) const { return dir_ + "/points/" + key + ".json"; }
  std::string raw_file(const std::string& key) const { return dir_ + "/raw/" + key + ".json"; }
  std::string log_file(const std::string& key) const { return dir_ + "/logs/" + key + ".err"; }

  // The finished point, or nullopt when there is none (or, which atomic writes never leave, an
  // unreadable one: the point is then recomputed).
  std::optional<nlohmann::ordered_json> load(const std::string& key) const;
  // The command's raw result if one was left by an interrupted sweep.
  std::optional<nlohmann::ordered_json> load_raw(const std::string& key) const;
  // Writes points/KEY.json atomically, then removes raw/KEY.json and logs/KEY.err.
  void save(const std::string& key, const nlohmann::ordered_json& point) const;
  // Removes raw/KEY.json and logs/KEY.err of a finished point: a kill between save's write and its
  // removals leaves them.
  void remove_leftovers(const std::string& key) const;

 private:
  std::string dir_;
  std::string flag_;
};

}  // namespace recsim
