#pragma once
// The sweep runner (`recsim sweep`, docs/sweeps.md): every point of a sweep (sim/sweep/sweep_spec.h)
// validated and keyed before any work, computed once into a run store (sim/sweep/run_store.h) by
// child processes (sim/sweep/process_pool.h), a shard at a time if asked, or handed to Slurm as a
// job array (sim/sweep/slurm_scripts.h); the table (sim/sweep/sweep_table.h) written once every
// point has a result.
#include "sim/sweep/command_validator.h"
#include "sim/sweep/run_store.h"
#include "sim/sweep/slurm_scripts.h"
#include "sim/sweep/sweep_plan_index.h"
#include "sim/sweep/sweep_spec.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct SweepPlan {
  SweepSpec spec;
  std::vector<PlannedPoint> points;  // spec.points' order
  RunStore store;
  std::string sweep_file;
  bool from_index = false;  // the keys came from the store's plan index (sim/sweep/sweep_plan_index.h)
};

// The sweep file, each point keyed, and what the store holds for the points `mine` selects (empty:
// all), each of those without a result validated (`validate`, with --allow-large if allow_large).
// The keys come from the store's plan index when it is current; otherwise every point's scenario is
// parsed and keyed, and every point without a result validated, whatever `mine`. Up to `jobs`
// points at once on threads. Throws InputError naming the sweep file and the point (the first in
// order that fails, whatever `jobs`). The store directory is not created here.
SweepPlan plan_sweep(const std::string& sweep_file, const std::string& store_dir, const CommandValidator& validate, bool allow_large,
                     const std::function<bool(std::size_t)>& mine = {}, int jobs = 1);

// Keeps the plan's keys in the store's plan index for the next start (a shard, a resume, a gather),
// unless they came from it. The store must exist.
void remember_plan(const SweepPlan& plan);

// `recsim PARGS...` as a shell line.
std::string point_command_line(const PlannedPoint& p);

// Writes table.csv and table.jsonl into the store when every point has a result (another shard may
// have finished some: they are read again); else returns false with how many are missing.
bool write_sweep_table(SweepPlan& plan, std::size_t* missing);

struct ShardWork {
  std::vector<std::size_t> todo;  // points of the shard without a result
  std::size_t from_store = 0;     // with one already
  std::size_t adopted = 0;        // a raw result left by a kill, wrapped and kept
};
// The points of shard `index` of `count` (index mod count) still to compute; with dry_run nothing
// in the store changes.
ShardWork shard_work(SweepPlan& plan, int index, int count, bool dry_run);

struct SweepProgress {
  std::size_t finished = 0, total = 0, failed = 0;
  double elapsed_seconds = 0;
};

struct SweepRunOptions {
  int jobs = 1;
  bool allow_large = false;
  std::function<void(const SweepProgress&)> progress;  // may be empty
  CommandRunner in_process;  // each point's command, in a forked child; empty: the executable again
};

struct SweepOutcome {
  std::size_t computed = 0;   // by this sweep
  std::size_t by_others = 0;  // finished meanwhile by another sweep on the store
  std::size_t failed = 0;
  std::vector<std::string> failures;  // one line each
  double wall_seconds = 0;
};

// Computes `todo`: each point claimed (an exclusive lock) before its command starts; a point
// another sweep on this store holds is waited for once this sweep's own are done, and computed here
// only if that sweep left no result (up to three rounds).
SweepOutcome compute_points(SweepPlan& plan, const std::vector<std::size_t>& todo, const SweepRunOptions& options);

// Writes the array and gather scripts into STORE/slurm/ and submits them (the gather job after the
// array); returns the two job ids. Throws std::runtime_error when sbatch refuses.
std::pair<std::string, std::string> submit_slurm_sweep(const SlurmSweep& s);

}  // namespace recsim
