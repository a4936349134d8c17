// `recsim sweep SWEEP.json [--store DIR] [--jobs N] [--shard I/N] [--gather] [--dry-run]
//                         [--slurm [--tasks N] [--slurm-cpus N] [--slurm-option OPT]...] [--quiet]`:
// every point of a sweep computed once into a run store, locally in a pool of processes or as a
// Slurm job array, and the table (the runner: sim/sweep/sweep_runner.h).
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/command_in_process.h"
#include "sim/provenance/host_info.h"
#include "sim/sweep/process_pool.h"
#include "sim/sweep/sweep_runner.h"
#include "workloads/input_error.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace recsim {
namespace {

struct SweepFlags {
  std::string sweep;
  std::string store;
  int jobs = 0;
  std::string shard;
  bool gather = false;
  bool dry_run = false;
  bool slurm = false;
  int tasks = 0;
  int slurm_cpus = 1;
  std::vector<std::string> slurm_options;
  bool quiet = false;
  bool allow_large = false;
};

struct Shard {
  int index = 0, count = 1;
};

Shard parse_shard(const std::string& text) {
  Shard s;
  const auto slash = text.find('/');
  auto number = [&](const std::string& part) {
    if (part.empty() || part.size() > 6 || part.find_first_not_of("0123456789") != std::string::npos)
      throw InputError("--shard", "expected I/N with 0 <= I < N, got \"" + text + "\"");
    return std::stoi(part);
  };
  if (slash == std::string::npos) throw InputError("--shard", "expected I/N with 0 <= I < N, got \"" + text + "\"");
  s.index = number(text.substr(0, slash));
  s.count = number(text.substr(slash + 1));
  if (s.count < 1 || s.index >= s.count) throw InputError("--shard", "expected I/N with 0 <= I < N, got \"" + text + "\"");
  return s;
}

std::string duration_text(double seconds) {
  char text[32];
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  else if (s >= 60)
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lds", s);
  return text;
}

int gather(SweepPlan& plan, const SweepFlags& f) {
  std::size_t missing = 0;
  if (!write_sweep_table(plan, &missing)) {
    std::fprintf(stderr, "recsim sweep: %zu of %zu points have no result in %s yet: run the remaining shards (or the sweep) again\n",
                 missing, plan.points.size(), plan.store.dir().c_str());
    return kExitFailure;
  }
  if (!f.quiet)
    std::printf("recsim sweep %s: %zu points; table: %s/table.csv and table.jsonl\n", plan.spec.name.c_str(), plan.points.size(),
                plan.store.dir().c_str());
  return kExitDone;
}

int submit_to_slurm(const SweepPlan& plan, const SweepFlags& f) {
  namespace fs = std::filesystem;
  SlurmSweep s;
  s.recsim = own_executable();
  s.sweep = fs::absolute(f.sweep).string();
  s.store = fs::absolute(plan.store.dir()).string();
  s.workdir = fs::current_path().string();
  s.name = plan.spec.name;
  const int points = static_cast<int>(plan.points.size());
  s.tasks = f.tasks > 0 ? std::min(f.tasks, points) : std::min(100, points);
  s.cpus_per_task = f.slurm_cpus;
  s.options = f.slurm_options;
  s.allow_large = f.allow_large;
  if (f.dry_run) {
    std::printf("%s\n# then, once the array has ended (sbatch --dependency=afterany:ARRAY_JOB):\n%s", slurm_array_script(s).c_str(),
                slurm_gather_script(s).c_str());
    return kExitDone;
  }
  const auto [array_id, gather_id] = submit_slurm_sweep(s);
  std::printf("recsim sweep %s: %zu points in %d array tasks: job %s, then gather job %s; table: %s/table.csv\n", plan.spec.name.c_str(),
              plan.points.size(), s.tasks, array_id.c_str(), gather_id.c_str(), s.store.c_str());
  return kExitDone;
}

int compute_here(SweepPlan& plan, const SweepFlags& f, const Shard& shard, int jobs) {
  const ShardWork work = shard_work(plan, shard.index, shard.count, f.dry_run);
  if (f.dry_run) {
    for (std::size_t i : work.todo) std::printf("%s\n", point_command_line(plan.points[i]).c_str());
    return kExitDone;
  }
  SweepRunOptions o;
  o.jobs = jobs;
  o.allow_large = f.allow_large;
  o.in_process = run_in_process;
  const bool progress = !f.quiet && ::isatty(STDERR_FILENO);
  if (progress)
    o.progress = [&](const SweepProgress& p) {
      const std::string eta =
          p.finished > 0 ? duration_text(p.elapsed_seconds / static_cast<double>(p.finished) * static_cast<double>(p.total - p.finished)) : "-";
      std::fprintf(stderr, "\rrecsim sweep %s: %zu/%zu points  %zu failed  elapsed %s  ETA %s\033[K", plan.spec.name.c_str(), p.finished,
                   p.total, p.failed, duration_text(p.elapsed_seconds).c_str(), eta.c_str());
      std::fflush(stderr);
    };
  const SweepOutcome out = compute_points(plan, work.todo, o);
  if (progress) std::fprintf(stderr, "\r\033[K");
  for (const auto& line : out.failures) std::fprintf(stderr, "recsim sweep: %s\n", line.c_str());
  std::size_t missing = 0;
  const bool complete = write_sweep_table(plan, &missing);
  if (!f.quiet) {
    std::printf("recsim sweep %s: %zu points%s: %zu computed in %.1f s (%d at once), %zu from the store, %zu adopted, %zu failed\n",
                plan.spec.name.c_str(), plan.points.size(), shard.count > 1 ? (" (shard " + f.shard + ")").c_str() : "", out.computed,
                out.wall_seconds, jobs, work.from_store + out.by_others, work.adopted, out.failed);
    if (complete)
      std::printf("  table: %s/table.csv and table.jsonl; each point: %s/points/KEY.json\n", plan.store.dir().c_str(), plan.store.dir().c_str());
    else
      std::printf("  %zu points have no result yet (other shards, or failed): rerun to complete, or --gather once they are done\n", missing);
  }
  return out.failed > 0 ? kExitFailure : kExitDone;
}

int execute(const SweepFlags& f) {
  const Shard shard = f.shard.empty() ? Shard{} : parse_shard(f.shard);
  if (f.gather && (f.slurm || !f.shard.empty() || f.dry_run))
    throw InputError("--gather", "only gathers the table: it takes no --slurm, --shard or --dry-run");
  if (!f.slurm && (f.tasks > 0 || !f.slurm_options.empty()))
    throw InputError(f.tasks > 0 ? "--tasks" : "--slurm-option", "only applies with --slurm");
  if (f.slurm && !f.shard.empty()) throw InputError("--shard", "--slurm makes the shards itself (--tasks)");
  // Every point keyed, and the points this command computes validated, before any work; a shard or a
  // gather reads the keys from the store's plan index when it is current.
  const auto mine = [&](std::size_t i) { return f.gather || static_cast<int>(i % static_cast<std::size_t>(shard.count)) == shard.index; };
  const int jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  SweepPlan plan = plan_sweep(f.sweep, f.store, f.gather ? CommandValidator{} : CommandValidator(validate_in_process), f.allow_large, mine, jobs);
  if (!f.dry_run) {
    plan.store.create();
    remember_plan(plan);
  }
  if (f.gather) return gather(plan, f);
  if (f.slurm) return submit_to_slurm(plan, f);
  return compute_here(plan, f, shard, jobs);
}

}  // namespace

void add_sweep_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<SweepFlags>();
  auto* cmd = app.add_subcommand("sweep", "Run every point of a sweep (axes over a scenario) into a resumable run store, and tabulate");
  cmd->add_option("sweep", f->sweep, "Sweep JSON file (docs/sweeps.md)")->required()->check(non_empty());
  cmd->add_option("--store", f->store, "Run store directory (default: NAME.sweep in the current directory)")->check(non_empty());
  cmd->add_option("--jobs", f->jobs, "Points computed at once (default: the CPUs this process may use)")->check(CLI::Range(1, 1024));
  cmd->add_option("--shard", f->shard, "Compute only shard I of N (points whose index mod N is I), 0 <= I < N")->check(non_empty());
  cmd->add_flag("--gather", f->gather, "Only write the table from the store (fails if a point has no result yet)");
  cmd->add_flag("--dry-run", f->dry_run, "Print what would run (the points' command lines, or with --slurm the batch scripts)");
  cmd->add_flag("--slurm", f->slurm, "Submit the sweep as a Slurm job array (one shard per task) and a gather job");
  cmd->add_option("--tasks", f->tasks, "With --slurm: array tasks (default: min(points, 100))")->check(CLI::Range(1, 100000));
  cmd->add_option("--slurm-cpus", f->slurm_cpus, "With --slurm: CPUs per array task (default 1)")->check(CLI::Range(1, 1024));
  cmd->add_option("--slurm-option", f->slurm_options, "With --slurm: an extra #SBATCH option such as --partition=debug (repeatable)")
      ->allow_extra_args(false)->check(non_empty());
  cmd->add_flag("--quiet", f->quiet, "Print nothing on success");
  cmd->add_flag("--allow-large", f->allow_large, "Run points whose resource estimate exceeds this machine");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
