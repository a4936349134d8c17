#pragma once
// The sweep run store (docs/sweeps.md): one directory holding each finished point's result under a
// key derived from what determines it, so that a sweep killed at any moment (kill -9 included) and
// started again redoes only the points without a result, and never reads a partial file.
//
//   DIR/points/KEY.json   a finished point: {"key", "sweep", "point", "values", "command_line",
//                         "result", "result_sha256"}
//   DIR/raw/KEY.json      the command's own --out file, before it is wrapped into points/
//   DIR/logs/KEY.err      the command's stderr (kept for failed points)
//   DIR/locks/KEY.lock    held (flock) by the sweep computing the point
//   DIR/table.csv, DIR/table.jsonl   the aggregated table, once every point has a result
//
// Every file is written atomically (sim/engine/atomic_file.h): the command writes raw/ itself, the
// sweep wraps it into points/ and then removes it. A kill between the two leaves raw/KEY.json,
// which the next start adopts instead of recomputing. A point counts as done only when its file
// parses, names its key, holds a result with the command's own fields, and the result's SHA-256
// matches the one recorded beside it; anything else (an empty or hand-edited result, a truncated
// file) is computed again. Several sweeps (or shards) may share a store: each claims a point by an
// exclusive lock on its lock file before computing it, the kernel releases the lock when the
// process ends (kill -9 included), and a sweep that finds a point claimed waits for it and takes
// its result.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace recsim {

// KEY: SHA-256 of recsim's version, the command and its options, the final scenario (after the
// overrides, with the seed) and the SHA-256 of each file the scenario reads.
std::string point_key(const std::string& recsim_version, const std::vector<std::string>& command_and_options,
                      const std::string& scenario_sha256, std::vector<std::string> input_sha256s);

// A point's claim: an exclusive lock on its lock file, released when this object (or the process)
// ends.
class PointClaim {
 public:
  explicit PointClaim(int fd) : fd_(fd) {}
  PointClaim(PointClaim&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  PointClaim& operator=(PointClaim&&) = delete;
  PointClaim(const PointClaim&) = delete;
  ~PointClaim();

 private:
  int fd_;
};

class RunStore {
 public:
  // Throws InputError naming `flag` when DIR exists and is not a directory. Creates nothing.
  // `command` (run, capacity or tune) says which fields a stored result must have.
  RunStore(std::string dir, const std::string& flag, std::string command);
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
  // Writes points/KEY.json atomically with its result's SHA-256, then removes raw/KEY.json and
  // logs/KEY.err.
  void save(const std::string& key, nlohmann::ordered_json point) const;
  // Removes raw/KEY.json and logs/KEY.err of a finished point: a kill between save's write and its
  // removals leaves them.
  void remove_leftovers(const std::string& key) const;

  // Claims the point for this process, or nullopt when another process holds it; `wait` blocks until
  // it can. Throws std::runtime_error when the lock file cannot be opened.
  std::optional<PointClaim> claim(const std::string& key, bool wait) const;

  // Whether `result` has the fields the command's --out always writes (docs/sweeps.md).
  bool is_result(const nlohmann::ordered_json& result) const;

 private:
  std::string dir_;
  std::string flag_;
  std::string command_;
};

}  // namespace recsim
