// `recsim sweep SWEEP.json [--store DIR] [--jobs N] [--shard I/N] [--gather] [--dry-run]
//                         [--slurm [--tasks N] [--slurm-cpus N] [--slurm-option OPT]...] [--quiet]`:
// every point of a sweep (sim/sweep/sweep_spec.h) computed once into a run store
// (sim/sweep/run_store.h), locally in a pool of processes or as a Slurm job array, and the table.
#include "sim/cli/cli_main.h"
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/validate_in_process.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/build_version.h"
#include "sim/provenance/content_hash.h"
#include "sim/provenance/host_info.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/sweep/process_pool.h"
#include "sim/sweep/run_store.h"
#include "sim/sweep/slurm_scripts.h"
#include "sim/sweep/sweep_spec.h"
#include "sim/sweep/sweep_table.h"
#include "workloads/input_error.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>

namespace recsim {
namespace {

using ojson = nlohmann::ordered_json;

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

struct PlannedPoint {
  std::string key;
  std::vector<std::string> arguments;  // after "recsim", without --out/--quiet/--jobs
  std::optional<ojson> stored;
};

std::string join_command(const std::vector<std::string>& args) {
  std::string line = "recsim";
  for (const auto& a : args) line += " " + (a.find_first_of(" '\"$\\{}[]*?;&|<>()") == std::string::npos ? a : shell_quote(a));
  return line;
}

ojson wrap(const SweepSpec& spec, const SweepPoint& p, const PlannedPoint& planned, ojson result) {
  ojson values = ojson::object();
  for (std::size_t c = 0; c < spec.columns.size(); ++c) values[spec.columns[c].name] = p.values[c];
  ojson doc = {{"key", planned.key}, {"sweep", spec.name}, {"point", p.index}, {"values", values}};
  if (p.repetition >= 0) doc["repetition"] = p.repetition;
  doc["command_line"] = join_command(planned.arguments);
  doc["result"] = std::move(result);
  return doc;
}

std::string last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;  // the error line is the last one a command writes
  return last.empty() ? "(no message)" : last;
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

int submit(const std::string& script_path, const std::vector<std::string>& extra, std::string* job_id) {
  std::string command = "sbatch --parsable";
  for (const auto& e : extra) command += " " + shell_quote(e);
  command += " " + shell_quote(script_path);
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("cannot run sbatch");
  char buffer[256];
  std::string out;
  while (std::fgets(buffer, sizeof buffer, pipe)) out += buffer;
  const int status = ::pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  *job_id = out.substr(0, out.find(';'));
  return status;
}

int execute(const SweepFlags& f) {
  namespace fs = std::filesystem;
  const SweepSpec spec = load_sweep(f.sweep);
  const Shard shard = f.shard.empty() ? Shard{} : parse_shard(f.shard);
  if (f.gather && (f.slurm || !f.shard.empty() || f.dry_run))
    throw InputError("--gather", "only gathers the table: it takes no --slurm, --shard or --dry-run");
  if (!f.slurm && (f.tasks > 0 || !f.slurm_options.empty()))
    throw InputError(f.tasks > 0 ? "--tasks" : "--slurm-option", "only applies with --slurm");
  if (f.slurm && !f.shard.empty()) throw InputError("--shard", "--slurm makes the shards itself (--tasks)");
  const int jobs = f.jobs > 0 ? f.jobs : usable_cpus();
  const std::string store_dir = f.store.empty() ? spec.name + ".sweep" : f.store;

  // Every point validated, and keyed, before any work.
  std::vector<PlannedPoint> planned(spec.points.size());
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    const SweepPoint& p = spec.points[i];
    const std::string where = "point " + std::to_string(p.index) + " (" + describe_point(spec, p) + ")";
    Scenario scenario;
    try {
      scenario = load_scenario(spec.scenario, p.sets);
    } catch (const InputError& e) {
      throw InputError(f.sweep + ": " + where + ": " + e.where(), e.expected());
    }
    std::optional<std::uint64_t> seed;
    if (p.repetition >= 0) {
      seed = scenario.seed + static_cast<std::uint64_t>(p.repetition);
      scenario.seed = *seed;
    }
    planned[i].arguments = point_arguments(spec, p, seed);
    std::vector<std::string> input_hashes;
    for (const auto& file : scenario.input_files())
      if (file != scenario.source_file) input_hashes.push_back(sha256_file_hex(file));
    std::vector<std::string> command = {spec.command};
    command.insert(command.end(), spec.options.begin(), spec.options.end());
    planned[i].key = point_key(kRecsimVersion, command, scenario_sha256(scenario), input_hashes);
  }
  RunStore store(store_dir, "--store", spec.command);
  for (std::size_t i = 0; i < planned.size(); ++i) planned[i].stored = store.load(planned[i].key);
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (planned[i].stored) continue;
    auto args = planned[i].arguments;
    if (f.allow_large) args.push_back("--allow-large");
    std::string error;
    if (validate_in_process(args, &error) != kExitDone) {
      const SweepPoint& p = spec.points[i];
      throw InputError(f.sweep + ": point " + std::to_string(p.index) + " (" + describe_point(spec, p) + ")", error);
    }
  }

  if (!f.dry_run) store.create();

  auto write_table_if_complete = [&](std::size_t* missing) {
    std::vector<SweepRow> rows;
    *missing = 0;
    for (auto& p : planned) {
      if (!p.stored) p.stored = store.load(p.key);  // another shard may have finished it
      if (!p.stored) ++*missing;
      rows.push_back({p.key, p.stored});
    }
    if (*missing > 0) return false;
    const auto table = sweep_table(spec, rows);
    write_files_atomically({{store.dir() + "/table.csv", table_csv(table)}, {store.dir() + "/table.jsonl", table_jsonl(table)}});
    return true;
  };

  if (f.gather) {
    std::size_t missing = 0;
    if (!write_table_if_complete(&missing)) {
      std::fprintf(stderr, "recsim sweep: %zu of %zu points have no result in %s yet: run the remaining shards (or the sweep) again\n",
                   missing, planned.size(), store.dir().c_str());
      return kExitFailure;
    }
    if (!f.quiet) std::printf("recsim sweep %s: %zu points; table: %s/table.csv and table.jsonl\n", spec.name.c_str(), planned.size(), store.dir().c_str());
    return kExitDone;
  }

  if (f.slurm) {
    SlurmSweep s;
    s.recsim = own_executable();
    s.sweep = fs::absolute(f.sweep).string();
    s.store = fs::absolute(store.dir()).string();
    s.workdir = fs::current_path().string();
    s.name = spec.name;
    s.tasks = f.tasks > 0 ? std::min<int>(f.tasks, static_cast<int>(planned.size())) : std::min<int>(100, static_cast<int>(planned.size()));
    s.cpus_per_task = f.slurm_cpus;
    s.options = f.slurm_options;
    s.allow_large = f.allow_large;
    const std::string array = slurm_array_script(s), gather = slurm_gather_script(s);
    if (f.dry_run) {
      std::printf("%s\n# then, once the array has ended (sbatch --dependency=afterany:ARRAY_JOB):\n%s", array.c_str(), gather.c_str());
      return kExitDone;
    }
    fs::create_directories(s.store + "/slurm");
    write_files_atomically({{s.store + "/slurm/array.sbatch", array}, {s.store + "/slurm/gather.sbatch", gather}});
    std::string array_id, gather_id;
    if (submit(s.store + "/slurm/array.sbatch", {}, &array_id) != 0 || array_id.empty())
      throw std::runtime_error("sbatch refused the array job (is Slurm's sbatch on PATH and a controller up?)");
    if (submit(s.store + "/slurm/gather.sbatch", {"--dependency=afterany:" + array_id}, &gather_id) != 0 || gather_id.empty())
      throw std::runtime_error("sbatch refused the gather job (array job " + array_id + " was submitted)");
    std::printf("recsim sweep %s: %zu points in %d array tasks: job %s, then gather job %s; table: %s/table.csv\n",
                spec.name.c_str(), planned.size(), s.tasks, array_id.c_str(), gather_id.c_str(), s.store.c_str());
    return kExitDone;
  }

  // This shard's points without a result; a raw result left by a kill is adopted.
  std::vector<std::size_t> todo;
  std::size_t from_store = 0, adopted = 0;
  for (std::size_t i = 0; i < planned.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(shard.count)) != shard.index) continue;
    if (planned[i].stored) {
      ++from_store;
      if (!f.dry_run) store.remove_leftovers(planned[i].key);
      continue;
    }
    // Adopted only under the point's claim: a raw file another live sweep is about to wrap is its own.
    if (auto claim = f.dry_run ? std::nullopt : store.claim(planned[i].key, false))
      if (auto raw = store.load_raw(planned[i].key)) {
        planned[i].stored = wrap(spec, spec.points[i], planned[i], std::move(*raw));
        store.save(planned[i].key, *planned[i].stored);
        ++adopted;
        continue;
      }
    todo.push_back(i);
  }
  if (f.dry_run) {
    for (std::size_t i : todo) std::printf("%s\n", join_command(planned[i].arguments).c_str());
    return kExitDone;
  }

  const int per_point_jobs = std::max(1, jobs / std::max(1, std::min<int>(jobs, static_cast<int>(todo.size()))));
  auto task_of = [&](std::size_t i) {
    PoolTask t;
    t.args = planned[i].arguments;
    t.args.insert(t.args.end(), {"--out", store.raw_file(planned[i].key), "--quiet"});
    if (spec.command != "run") t.args.insert(t.args.end(), {"--jobs", std::to_string(per_point_jobs)});
    if (f.allow_large) t.args.push_back("--allow-large");
    t.stderr_file = store.log_file(planned[i].key);
    return t;
  };
  const bool progress = !f.quiet && ::isatty(STDERR_FILENO);
  const auto started = std::chrono::steady_clock::now();
  std::size_t finished = 0, failed = 0, by_others = 0;
  auto draw = [&] {
    if (!progress) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::size_t total = todo.size();
    std::string eta = "-";
    if (finished > 0) eta = duration_text(elapsed / static_cast<double>(finished) * static_cast<double>(total - finished));
    std::fprintf(stderr, "\rrecsim sweep %s: %zu/%zu points  %zu failed  elapsed %s  ETA %s\033[K", spec.name.c_str(), finished,
                 total, failed, duration_text(elapsed).c_str(), eta.c_str());
    std::fflush(stderr);
  };
  draw();
  std::vector<std::string> failures;
  // Each point is claimed (an exclusive lock) before its command starts; a point another sweep on
  // this store holds is waited for once this sweep's own points are done, and computed here only
  // if that sweep left no result (up to three rounds).
  std::vector<std::size_t> pending = todo;
  for (int round = 0; round < 3 && !pending.empty(); ++round) {
    std::vector<PoolTask> tasks;
    for (std::size_t i : pending) tasks.push_back(task_of(i));
    std::map<std::size_t, PointClaim> claims;
    std::vector<std::size_t> held_elsewhere;
    const auto may_start = [&](std::size_t t) {
      const std::size_t i = pending[t];
      auto claim = store.claim(planned[i].key, false);
      if (!claim) {
        held_elsewhere.push_back(i);
        return false;
      }
      if (auto done = store.load(planned[i].key)) {  // finished by another sweep meanwhile
        planned[i].stored = std::move(done);
        ++finished;
        ++by_others;
        draw();
        return false;
      }
      claims.emplace(t, std::move(*claim));
      return true;
    };
    run_process_pool(own_executable(), tasks, jobs, may_start, [&](std::size_t t, int status) {
      const std::size_t i = pending[t];
      ++finished;
      auto raw = status == 0 ? store.load_raw(planned[i].key) : std::nullopt;
      if (raw) {
        planned[i].stored = wrap(spec, spec.points[i], planned[i], std::move(*raw));
        store.save(planned[i].key, *planned[i].stored);
      } else {
        ++failed;
        failures.push_back("point " + std::to_string(spec.points[i].index) + " (" + describe_point(spec, spec.points[i]) +
                           ") failed (exit " + std::to_string(status) + "): " + last_line_of(store.log_file(planned[i].key)) +
                           " [" + store.log_file(planned[i].key) + "]");
      }
      claims.erase(t);
      draw();
    });
    pending.clear();
    for (std::size_t i : held_elsewhere) {
      store.claim(planned[i].key, true);  // waits until the other sweep is done with it
      if (auto done = store.load(planned[i].key)) {
        planned[i].stored = std::move(done);
        ++finished;
        ++by_others;
        draw();
      } else {
        pending.push_back(i);
      }
    }
  }
  for (std::size_t i : pending) {
    ++failed;
    failures.push_back("point " + std::to_string(spec.points[i].index) + " (" + describe_point(spec, spec.points[i]) +
                       ") was held by other sweeps on this store three times, and none left a result");
  }
  if (progress) std::fprintf(stderr, "\r\033[K");
  for (const auto& line : failures) std::fprintf(stderr, "recsim sweep: %s\n", line.c_str());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t missing = 0;
  const bool complete = write_table_if_complete(&missing);
  if (!f.quiet) {
    std::printf("recsim sweep %s: %zu points%s: %zu computed in %.1f s (%d at once), %zu from the store, %zu adopted, %zu failed\n",
                spec.name.c_str(), planned.size(), shard.count > 1 ? (" (shard " + f.shard + ")").c_str() : "",
                todo.size() - failed - by_others, wall, jobs, from_store + by_others, adopted, failed);
    if (complete)
      std::printf("  table: %s/table.csv and table.jsonl; each point: %s/points/KEY.json\n", store.dir().c_str(), store.dir().c_str());
    else
      std::printf("  %zu points have no result yet (other shards, or failed): rerun to complete, or --gather once they are done\n", missing);
  }
  return failed > 0 ? kExitFailure : kExitDone;
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
