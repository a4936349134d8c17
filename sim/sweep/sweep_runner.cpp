#include "sim/sweep/sweep_runner.h"

#include "sim/engine/atomic_file.h"
#include "sim/planning/plan_spec.h"
#include "sim/provenance/build_version.h"
#include "sim/provenance/content_hash.h"
#include "sim/provenance/provenance.h"
#include "sim/scenario/scenario_parser.h"
#include "sim/sweep/process_pool.h"
#include "sim/sweep/sweep_table.h"
#include "workloads/input_error.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

namespace recsim {
namespace {

using ojson = nlohmann::ordered_json;

ojson wrap(const SweepSpec& spec, const SweepPoint& p, const PlannedPoint& planned, ojson result) {
  ojson values = ojson::object();
  for (std::size_t c = 0; c < spec.columns.size(); ++c) values[spec.columns[c].name] = p.values[c];
  ojson doc = {{"key", planned.key}, {"sweep", spec.name}, {"point", p.index}, {"values", values}};
  if (p.repetition >= 0) doc["repetition"] = p.repetition;
  doc["command_line"] = point_command_line(planned);
  doc["result"] = std::move(result);
  return doc;
}

std::string point_name(const SweepSpec& spec, const SweepPoint& p) {
  return "point " + std::to_string(p.index) + " (" + describe_point(spec, p) + ")";
}

// A point's key: the version, the command and its options, the scenario as simulated and the
// content of every file it reads. `loaded` receives the scenario as load_scenario gave it (before
// the repetition's seed), except for `plan` points.
PlannedPoint plan_point(const SweepSpec& spec, const SweepPoint& p, const std::string& sweep_file, Scenario& loaded) {
  if (spec.command == "plan") {
    // The plan file and its fleet after the point's --set, and every file the fleet reads.
    PlanSpec plan;
    Scenario fleet;
    const std::string plan_sha = sha256_file_hex(spec.scenario);  // before reading it (sweep_plan_index.h)
    try {
      plan = load_plan(spec.scenario, p.sets);
      fleet = parse_scenario(plan.fleet, plan.base_dir);
    } catch (const InputError& e) {
      throw InputError(sweep_file + ": " + point_name(spec, p) + ": " + e.where(), e.expected());
    }
    PlannedPoint planned;
    planned.arguments = point_arguments(spec, p, std::nullopt);
    planned.files = {{spec.scenario, plan_sha}, {plan.fleet_file, sha256_file_hex(plan.fleet_file)}};
    for (const auto& file : fleet.input_files()) planned.files.emplace_back(file, sha256_file_hex(file));
    std::vector<std::string> input_hashes;
    for (const auto& file : planned.files) input_hashes.push_back(file.second);
    std::string sets;
    for (const auto& s : p.sets) sets += s + "\n";
    planned.key = point_key(kRecsimVersion, {spec.command}, sha256_hex(plan.fleet.dump() + "\n" + sets), input_hashes);
    return planned;
  }
  // Its content is in the scenario's SHA-256; its hash, for the plan index, taken before it is read.
  const std::string scenario_file_sha = sha256_file_hex(spec.scenario);
  try {
    loaded = load_scenario(spec.scenario, p.sets);
  } catch (const InputError& e) {
    throw InputError(sweep_file + ": " + point_name(spec, p) + ": " + e.where(), e.expected());
  }
  std::optional<std::uint64_t> seed;
  if (p.repetition >= 0) seed = loaded.seed + static_cast<std::uint64_t>(p.repetition);
  PlannedPoint planned;
  planned.arguments = point_arguments(spec, p, seed);
  planned.files = {{spec.scenario, scenario_file_sha}};
  std::vector<std::string> input_hashes;
  for (const auto& file : loaded.input_files())
    if (file != loaded.source_file) {
      input_hashes.push_back(sha256_file_hex(file));
      planned.files.emplace_back(file, input_hashes.back());
    }
  std::vector<std::string> command = {spec.command};
  command.insert(command.end(), spec.options.begin(), spec.options.end());
  // The scenario as simulated has the repetition's seed; `loaded` keeps load_scenario's own.
  const std::uint64_t own_seed = loaded.seed;
  if (seed) loaded.seed = *seed;
  const std::string scenario_sha = scenario_sha256(loaded);
  loaded.seed = own_seed;
  planned.key = point_key(kRecsimVersion, command, scenario_sha, input_hashes);
  return planned;
}

int submit(const std::string& script_path, const std::vector<std::string>& extra, std::string* job_id) {
  std::vector<std::string> words = {"sbatch", "--parsable"};
  for (const auto& e : extra) words.push_back(shell_quote(e));
  words.push_back(shell_quote(script_path));
  std::string command;
  for (const auto& w : words) command.append(command.empty() ? "" : " ").append(w);
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

// One round of compute_points: the pending points through the process pool; returns those another
// sweep held and left without a result.
std::vector<std::size_t> compute_round(SweepPlan& plan, const std::vector<std::size_t>& pending, const SweepRunOptions& o,
                                       SweepOutcome& out, SweepProgress& progress) {
  const SweepSpec& spec = plan.spec;
  const RunStore& store = plan.store;
  const int per_point_jobs = std::max(1, o.jobs / std::max(1, std::min<int>(o.jobs, static_cast<int>(progress.total))));
  std::vector<PoolTask> tasks;
  for (std::size_t i : pending) {
    PoolTask t;
    t.args = plan.points[i].arguments;
    t.args.insert(t.args.end(), {"--out", store.raw_file(plan.points[i].key), "--quiet"});
    if (spec.command != "run") t.args.insert(t.args.end(), {"--jobs", std::to_string(per_point_jobs)});
    if (o.allow_large) t.args.push_back("--allow-large");
    t.stderr_file = store.log_file(plan.points[i].key);
    tasks.push_back(std::move(t));
  }
  auto tell = [&] {
    if (o.progress) o.progress(progress);
  };
  auto done_elsewhere = [&](std::size_t i) {
    auto done = store.load(plan.points[i].key);
    if (!done) return false;
    plan.points[i].stored = std::move(done);
    ++progress.finished;
    ++out.by_others;
    tell();
    return true;
  };
  std::map<std::size_t, PointClaim> claims;
  std::vector<std::size_t> held_elsewhere;
  const auto may_start = [&](std::size_t t) {
    const std::size_t i = pending[t];
    auto claim = store.claim(plan.points[i].key, false);
    if (!claim) {
      held_elsewhere.push_back(i);
      return false;
    }
    if (done_elsewhere(i)) return false;  // finished by another sweep meanwhile
    claims.emplace(t, std::move(*claim));
    return true;
  };
  run_process_pool(own_executable(), tasks, o.jobs, may_start, [&](std::size_t t, int status) {
    const std::size_t i = pending[t];
    ++progress.finished;
    auto raw = status == 0 ? store.load_raw(plan.points[i].key) : std::nullopt;
    if (raw) {
      plan.points[i].stored = wrap(spec, spec.points[i], plan.points[i], std::move(*raw));
      store.save(plan.points[i].key, *plan.points[i].stored);
      ++out.computed;
    } else {
      ++out.failed;
      ++progress.failed;
      const std::string log = store.log_file(plan.points[i].key);
      out.failures.push_back(point_name(spec, spec.points[i]) + " failed (exit " + std::to_string(status) + "): " + [&] {
        const std::string last = last_line_of(log);
        return last.empty() ? std::string("(no message)") : last;
      }() + " [" +
                             log + "]");
    }
    claims.erase(t);
    tell();
  }, o.in_process);
  std::vector<std::size_t> again;
  for (std::size_t i : held_elsewhere) {
    store.claim(plan.points[i].key, true);  // waits until the other sweep is done with it
    if (!done_elsewhere(i)) again.push_back(i);
  }
  return again;
}

}  // namespace

std::string point_command_line(const PlannedPoint& p) {
  std::string line = "recsim";
  for (const auto& a : p.arguments) line += " " + (a.find_first_of(" '\"$\\{}[]*?;&|<>()") == std::string::npos ? a : shell_quote(a));
  return line;
}

namespace {

// body(i) for i in [0, n) on up to `jobs` threads; when some throw, the lowest index's exception is
// rethrown (the one a loop in order would have met first: every lower index has been done).
void for_each_index(std::size_t n, int jobs, const std::function<void(std::size_t)>& body) {
  const std::size_t threads = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, jobs)));
  if (threads <= 1) {
    for (std::size_t i = 0; i < n; ++i) body(i);
    return;
  }
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed_at{n};
  std::exception_ptr error;
  std::mutex mutex;
  const auto work = [&] {
    for (std::size_t i; (i = next++) < n && i < failed_at;) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (i < failed_at) {
          failed_at = i;
          error = std::current_exception();
        }
      }
    }
  };
  std::vector<std::thread> pool;
  try {
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // No more threads to be had (a limit on tasks): the ones started and this one do the rest.
  }
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace

SweepPlan plan_sweep(const std::string& sweep_file, const std::string& store_dir, const CommandValidator& validate, bool allow_large,
                     const std::function<bool(std::size_t)>& mine, int jobs) {
  SweepSpec spec = load_sweep(sweep_file);
  RunStore store(store_dir.empty() ? spec.name + ".sweep" : store_dir, "--store", spec.command);
  const auto check = [&](const SweepPoint& p, const PlannedPoint& planned) {
    auto args = planned.arguments;
    if (allow_large) args.push_back("--allow-large");
    std::string error;
    if (validate(args, &error) != 0) throw InputError(sweep_file + ": " + point_name(spec, p), error);
  };
  if (auto indexed = read_plan_index(store, sweep_file, spec.points.size())) {
    for_each_index(indexed->size(), jobs, [&](std::size_t i) {
      if (mine && !mine(i)) return;
      PlannedPoint& planned = (*indexed)[i];
      planned.stored = store.load(planned.key);
      if (!planned.stored && validate) check(spec.points[i], planned);
    });
    return SweepPlan{std::move(spec), std::move(*indexed), std::move(store), sweep_file, true};
  }
  std::vector<PlannedPoint> points(spec.points.size());
  for_each_index(points.size(), jobs, [&](std::size_t i) {
    const SweepPoint& p = spec.points[i];
    Scenario loaded;
    PlannedPoint planned = plan_point(spec, p, sweep_file, loaded);
    planned.stored = store.load(planned.key);
    if (!planned.stored && validate) {
      // The command validates the scenario just loaded, not a second parse of the same file and sets.
      std::optional<LoadedScenarioReuse> reuse;
      if (spec.command != "plan") reuse.emplace(spec.scenario, p.sets, loaded);
      check(p, planned);
    }
    points[i] = std::move(planned);
  });
  return SweepPlan{std::move(spec), std::move(points), std::move(store), sweep_file, false};
}

void remember_plan(const SweepPlan& plan) {
  if (!plan.from_index) write_plan_index(plan.store, plan.sweep_file, plan.points);
}

bool write_sweep_table(SweepPlan& plan, std::size_t* missing) {
  std::vector<SweepRow> rows;
  *missing = 0;
  // First whether every point has a file at all (a stat each): a shard that does not finish the
  // sweep reads no other shard's results.
  for (const auto& p : plan.points) {
    std::error_code ec;
    if (!p.stored && !std::filesystem::exists(plan.store.point_file(p.key), ec)) ++*missing;
  }
  if (*missing > 0) return false;
  for (auto& p : plan.points) {
    if (!p.stored) p.stored = plan.store.load(p.key);  // another shard may have finished it
    if (!p.stored) ++*missing;
    rows.push_back({p.key, p.stored});
  }
  if (*missing > 0) return false;
  const auto table = sweep_table(plan.spec, rows);
  write_files_atomically({{plan.store.dir() + "/table.csv", table_csv(table)}, {plan.store.dir() + "/table.jsonl", table_jsonl(table)}});
  return true;
}

ShardWork shard_work(SweepPlan& plan, int index, int count, bool dry_run) {
  ShardWork w;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    if (static_cast<int>(i % static_cast<std::size_t>(count)) != index) continue;
    PlannedPoint& p = plan.points[i];
    if (p.stored) {
      ++w.from_store;
      if (!dry_run) plan.store.remove_leftovers(p.key);
      continue;
    }
    // A raw result left by a kill is adopted, only under the point's claim: a raw file another live
    // sweep is about to wrap is its own.
    if (auto claim = dry_run ? std::nullopt : plan.store.claim(p.key, false))
      if (auto raw = plan.store.load_raw(p.key)) {
        p.stored = wrap(plan.spec, plan.spec.points[i], p, std::move(*raw));
        plan.store.save(p.key, *p.stored);
        ++w.adopted;
        continue;
      }
    w.todo.push_back(i);
  }
  return w;
}

SweepOutcome compute_points(SweepPlan& plan, const std::vector<std::size_t>& todo, const SweepRunOptions& o) {
  SweepOutcome out;
  SweepProgress progress;
  progress.total = todo.size();
  const auto started = std::chrono::steady_clock::now();
  SweepRunOptions timed = o;
  if (o.progress)
    timed.progress = [&](const SweepProgress& p) {
      SweepProgress now = p;
      now.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      o.progress(now);
    };
  if (timed.progress) timed.progress(progress);
  std::vector<std::size_t> pending = todo;
  for (int round = 0; round < 3 && !pending.empty(); ++round) pending = compute_round(plan, pending, timed, out, progress);
  for (std::size_t i : pending) {
    ++out.failed;
    out.failures.push_back(point_name(plan.spec, plan.spec.points[i]) + " was held by other sweeps on this store three times, and none left a result");
  }
  out.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return out;
}

std::pair<std::string, std::string> submit_slurm_sweep(const SlurmSweep& s) {
  std::filesystem::create_directories(s.store + "/slurm");
  write_files_atomically({{s.store + "/slurm/array.sbatch", slurm_array_script(s)}, {s.store + "/slurm/gather.sbatch", slurm_gather_script(s)}});
  std::string array_id, gather_id;
  if (submit(s.store + "/slurm/array.sbatch", {}, &array_id) != 0 || array_id.empty())
    throw std::runtime_error("sbatch refused the array job (is Slurm's sbatch on PATH and a controller up?)");
  if (submit(s.store + "/slurm/gather.sbatch", {"--dependency=afterany:" + array_id}, &gather_id) != 0 || gather_id.empty())
    throw std::runtime_error("sbatch refused the gather job (array job " + array_id + " was submitted)");
  return {array_id, gather_id};
}

}  // namespace recsim
