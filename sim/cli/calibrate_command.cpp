// `recsim calibrate --device cpu|gpu [--models a,b,...] [--batches 1,2,4,...] [--repeats N] [--min-time MS] [--passes N]
//                   [--threads N] [--isa ISA] [--max-table-mib N] [--analytic GPU_FILE [--efficiencies FILE]]
//                   [--out FILE] [--quiet]`
// `recsim calibrate --tiers [--tier-list a,b] [--dims 32,64,128] [--batches 1,16,256,4096] [--rows N] [--repeats N]
//                   [--min-time MS] [--dir DIR] [--out FILE] [--quiet]`
#include "kernels/analytic/analytic_gpu_profile.h"
#include "kernels/calibration/cpu_calibrator.h"
#include "kernels/calibration/tier_calibrator.h"
#ifdef RECSIM_HAVE_CUDA
#include "kernels/calibration/gpu_calibrator.h"
#include "kernels/gpu/cuda_ops.h"
#endif
#include "kernels/cpu/onednn_ops.h"
#include "kernels/model/model_spec.h"
#include "sim/cli/commands.h"
#include "sim/calibration/profile_measurement.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/list_parsing.h"
#include "sim/cli/output_path.h"
#include "sim/engine/atomic_file.h"
#include "kernels/cpu/cpu_affinity.h"
#include "sim/provenance/host_info.h"
#include "workloads/input_error.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <unistd.h>

#include <algorithm>
#include <functional>
#include <barrier>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>

namespace recsim {
namespace {

struct CalibrateFlags {
  std::string device = "cpu";
  std::string models;
  std::string batches;
  int repeats = 15;
  int passes = 5;
  double min_time_ms = 0;  // 0: the device's default (CPU 250 ms, GPU 30 ms)
  int threads = 0;
  std::string after_idle_ms;  // empty: the default gaps; "0": none
  bool no_cold_sizes = false;
  std::string levels;  // contention levels below --threads; empty: every one from 2
  std::string intra_op_threads;  // empty: default_intra_op_threads; "none": not measured
  std::string isa = "all";
  double max_table_mib = 0;  // 0: the device's default (CPU 512 MiB, GPU 8 GiB)
  std::string analytic;
  std::string efficiencies;
  bool tiers = false;
  std::string tier_list;
  std::string dims;
  std::int64_t rows = 0;  // 0: the tier calibration's default
  std::string dir;
  std::string out;
  bool quiet = false;
  std::string command_line;
  char** argv = nullptr;
};

std::vector<ModelSpec> load_specs(const CalibrateFlags& f) {
  std::vector<std::string> names = f.models.empty() ? shipped_model_names() : split_list("--models", f.models);
  std::vector<ModelSpec> specs;
  for (const auto& n : names) {
    try {
      specs.push_back(load_model_spec(model_file(n)));
    } catch (const InputError& e) {
      throw InputError("--models", e.what());
    }
  }
  return specs;
}

// A GPU profile from the roofline model of a named GPU: computed, labelled "analytic".
int execute_analytic(const CalibrateFlags& f) {
  const std::vector<ModelSpec> specs = load_specs(f);
  const std::vector<int> batches =
      f.batches.empty() ? default_batch_ladder() : parse_int_list("--batches", f.batches, 1, 65536);
  GpuSpec gpu;
  try {
    gpu = load_gpu_spec(f.analytic);
  } catch (const InputError& e) {
    throw InputError("--analytic", e.what());
  }
  GpuEfficiencies efficiencies = peak_efficiencies(gpu);
  if (!f.efficiencies.empty()) {
    try {
      efficiencies = load_gpu_efficiencies(f.efficiencies);
    } catch (const InputError& e) {
      throw InputError("--efficiencies", e.what());
    }
  }
  std::vector<std::string> inputs{f.analytic};
  if (!f.efficiencies.empty()) inputs.push_back(f.efficiencies);
  if (!f.out.empty()) check_output_path("--out", f.out, inputs);
  LatencyProfile profile;
  profile.device = "gpu";
  profile.source = "analytic";
  for (const auto& spec : specs) profile.models[spec.name] = analytic_gpu_model(spec, gpu, efficiencies, batches);
  const bool fitted = !f.efficiencies.empty();
  profile.provenance = {
      {"model", fitted ? "roofline with fitted efficiencies (fitted to published measurements, not measured)" : "roofline"},
      {"gpu", gpu.document},
      {"method",
       fitted ? "per kernel: overhead + max(FLOPs / (efficiency x peak FP32), bytes / (efficiency x memory bandwidth)); "
                "per copy: overhead + bytes / (efficiency x PCIe bandwidth); efficiencies and overheads from the "
                "efficiencies file below; kernels as the CUDA backend launches them (kernels/analytic/roofline_ops.h). "
                "Not measured: no caches, no occupancy limits, no overlap of copies and kernels."
              : "per kernel: launch overhead + max(FLOPs / peak FP32, bytes / memory bandwidth); per copy: launch "
                "overhead + bytes / PCIe bandwidth; kernels as the CUDA backend launches them "
                "(kernels/analytic/roofline_ops.h). Not measured: no caches, no occupancy limits, no overlap of copies "
                "and kernels."},
      {"date", utc_now()},
      {"command", f.command_line},
  };
  if (fitted) profile.provenance["efficiencies"] = efficiencies.document;
  write_latency_profile(profile, f.out);
  return kExitDone;
}

// Measured GPU profile: the CUDA backend on device 0.
int execute_gpu(const CalibrateFlags& f) {
#ifdef RECSIM_HAVE_CUDA
  if (f.isa != "all") throw InputError("--isa", "caps oneDNN's CPU instruction set; it does not apply to --device gpu");
  const std::vector<ModelSpec> specs = load_specs(f);
  GpuCalibrationOptions o;
  o.batches = f.batches.empty() ? default_batch_ladder() : parse_int_list("--batches", f.batches, 1, 65536);
  o.repeats = f.repeats;
  if (f.min_time_ms > 0) o.min_seconds = f.min_time_ms / 1e3;
  if (f.max_table_mib > 0) o.max_table_bytes = f.max_table_mib * 1024.0 * 1024.0;
  if (!f.out.empty()) check_output_path("--out", f.out, f.analytic.empty() ? std::vector<std::string>{} : std::vector<std::string>{f.analytic});
  if (!cuda_device_available()) throw std::runtime_error("no CUDA device is visible to this process");
  LatencyProfile profile;
  profile.device = "gpu";
  profile.source = "measured";
  const double seconds = calibrate_each(specs, f.quiet, profile, [&](const ModelSpec& spec, const auto& progress) {
    return calibrate_gpu_model(spec, o, progress);
  });
  profile.provenance = {
      {"gpu", cuda_device_description()},
      {"host_cpu_model", host_cpu_model()},
      {"libraries", {{"cuda_runtime", cuda_runtime_version()}, {"cublas", cublas_version()},
                     {"compiler", std::string("g++ ") + __VERSION__}}},
      {"date", utc_now()},
      {"command", f.command_line},
      {"method", [&] {
         nlohmann::ordered_json m = {{"end_to_end", "host clock around upload + compute + download, synchronised"},
                                     {"parts", "device time between events: upload, compute (kernel_only), download"}};
         m.update(shared_method(o));
         m["inputs"] = "fresh keys for every timed run, drawn ahead (at most 256 MiB, cycled beyond)";
         return m;
       }()},
      {"calibration_seconds", seconds},
  };
  write_latency_profile(profile, f.out);
  return kExitDone;
#elif defined(RECSIM_CUDA_HELPER)
  // The CUDA backend lives in recsim-cuda, next to this executable: hand the command line over.
  char self[4096];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) throw std::runtime_error("cannot locate the recsim executable to find recsim-cuda");
  self[n] = '\0';
  const std::string helper = std::filesystem::path(self).parent_path() / "recsim-cuda";
  std::fflush(nullptr);
  ::execv(helper.c_str(), f.argv);
  throw std::runtime_error("cannot run " + helper + ": " + std::strerror(errno));
#else
  (void)f;
  throw std::runtime_error(
      "this recsim was built without the CUDA backend (nvcc was not found, or RECSIM_CUDA=OFF); rebuild with CUDA or "
      "use --analytic GPU_FILE (see docs/calibration.md)");
#endif
}

// What storing --rows vectors of the largest dimension costs each tier, against what this machine
// has, before any is stored: the hash map and Redis hold them in memory (a vector, its key and the
// map's slot; Redis about 100 bytes per key besides), RocksDB on --dir's file system. At the
// documented maximum the hash map's fill aborted.
void check_tier_resources(const TierCalibrationOptions& o, const std::string& dir) {
  const double rows = static_cast<double>(o.rows);
  const double vector_bytes = 4.0 * *std::max_element(o.dims.begin(), o.dims.end());
  const double available = available_memory_bytes();
  std::error_code ec;
  const auto space = std::filesystem::space(dir, ec);
  for (const auto& tier : o.tiers) {
    const bool in_memory = tier != "rocksdb";
    const double bytes = rows * (vector_bytes + (tier == "host_hash_map" ? 16.0 : tier == "redis" ? 100.0 : 32.0));
    const double room = in_memory ? 0.8 * available : (ec ? 0.0 : 0.8 * static_cast<double>(space.available));
    if (room > 0 && bytes > room) {
      char text[300];
      std::snprintf(text, sizeof text, "storing %.4g vectors of %g bytes in %s needs about %.1f GiB, more than 80%% of the %.1f GiB %s",
                    rows, vector_bytes, tier.c_str(), bytes / 1073741824.0, room / 0.8 / 1073741824.0,
                    in_memory ? "of memory this machine has available" : "free on --dir's file system");
      throw InputError("--rows", text);
    }
  }
}

// The contention profile runs --threads instances at once: before any measurement, that many
// threads are started together (and released) to see that this machine can run them; beyond its
// limit the measurement ended in std::terminate.
void check_threads_can_start(int n) {
  std::barrier together(n + 1);
  std::vector<std::thread> threads;
  try {
    for (int i = 0; i < n; ++i) threads.emplace_back([&together] { together.arrive_and_wait(); });
  } catch (const std::system_error& e) {
    for (std::size_t missing = threads.size(); missing < static_cast<std::size_t>(n); ++missing) together.arrive_and_drop();
    together.arrive_and_wait();
    for (auto& t : threads) t.join();
    throw InputError("--threads", "this machine could not start " + std::to_string(n) + " threads at once (" + e.what() + "; it started " +
                                      std::to_string(threads.size()) + ")");
  }
  together.arrive_and_wait();
  for (auto& t : threads) t.join();
}

// The parameter server's lower tiers, measured on this machine.
int execute_tiers(const CalibrateFlags& f, const CLI::App& cmd) {
  for (const char* flag : {"--device", "--models", "--passes", "--threads", "--after-idle-ms", "--no-cold-sizes", "--levels", "--intra-op-threads", "--isa", "--max-table-mib", "--analytic", "--efficiencies"})
    if (cmd.count(flag) > 0) throw InputError(flag, "does not apply to --tiers");
  TierCalibrationOptions o;
  if (!f.tier_list.empty()) {
    o.tiers = split_list("--tier-list", f.tier_list);
    for (const auto& t : o.tiers)
      if (t != "host_hash_map" && t != "rocksdb" && t != "redis")
        throw InputError("--tier-list", "expected host_hash_map, rocksdb or redis, got \"" + t + "\"");
  }
  if (!f.dims.empty()) o.dims = parse_int_list("--dims", f.dims, 1, 65536);
  if (!f.batches.empty()) o.batches = parse_int_list("--batches", f.batches, 1, 1'000'000);
  if (f.rows > 0) o.rows = static_cast<std::uint64_t>(f.rows);
  if (o.rows < static_cast<std::uint64_t>(o.batches.back()))
    throw InputError("--rows", "expected at least the largest batch (" + std::to_string(o.batches.back()) + ")");
  if (cmd.count("--repeats") > 0) o.repeats = f.repeats;
  if (f.min_time_ms > 0) o.min_seconds = f.min_time_ms / 1e3;
  std::error_code ec;
  const std::string base = f.dir.empty() ? std::filesystem::temp_directory_path(ec).string() : f.dir;
  if (!std::filesystem::is_directory(base, ec)) throw InputError("--dir", "\"" + base + "\" is not a directory");
  check_tier_resources(o, base);
  o.directory = base + "/recsim-tiers-" + std::to_string(::getpid());
  if (!f.out.empty()) check_output_path("--out", f.out, f.analytic.empty() ? std::vector<std::string>{} : std::vector<std::string>{f.analytic});
  const auto started = std::chrono::steady_clock::now();
  nlohmann::ordered_json tiers;
  try {
    tiers = calibrate_tiers(o, [&f](const std::string& line) {
      if (!f.quiet) std::fprintf(stderr, "calibrate: %s\n", line.c_str());
    });
  } catch (...) {
    std::filesystem::remove_all(o.directory, ec);
    throw;
  }
  std::filesystem::remove_all(o.directory, ec);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  nlohmann::ordered_json profile = {
      {"format", "recsim-tier-profile/1"},
      {"device", "tiers"},
      {"source", "measured"},
      {"provenance",
       {{"cpu_model", host_cpu_model()},
        {"cores", std::thread::hardware_concurrency()},
        {"date", utc_now()},
        {"command", f.command_line},
        {"method",
         {{"keys", "distinct keys per batch, uniform over the stored rows"},
          {"vectors", "float32, dim floats per key"},
          {"writes", "write_dims: batched overwrites of stored keys (hash map insert_or_assign, RocksDB WriteBatch through the WAL, Redis MSET)"},
          {"warmup_lookups", 3},
          {"repeats_min", o.repeats},
          {"min_seconds_per_point", o.min_seconds},
          {"statistic", "median wall time of one batched lookup or write; p10 and p90 beside it (quantiles linear between order statistics)"},
          {"rocksdb_directory", base + " (a fresh subdirectory, removed afterwards)"}}},
        {"calibration_seconds", seconds}}},
      {"tiers", tiers}};
  write_json_document(profile, f.out);
  return kExitDone;
}

int execute(const CalibrateFlags& f, const CLI::App& cmd) {
  if (!f.efficiencies.empty() && f.analytic.empty())
    throw InputError("--efficiencies", "applies to an analytic profile: add --device gpu --analytic GPU_FILE");
  if (!f.analytic.empty()) {
    if (f.device != "gpu") throw InputError("--analytic", "an analytic profile is a GPU profile: add --device gpu");
    for (const char* flag : {"--repeats", "--min-time", "--passes", "--threads", "--after-idle-ms", "--no-cold-sizes", "--levels", "--intra-op-threads", "--isa", "--max-table-mib"})
      if (cmd.count(flag) > 0) throw InputError(flag, "does not apply to --analytic (the profile is computed, not measured)");
    return execute_analytic(f);
  }
  if (f.device == "gpu") {
    for (const char* flag : {"--passes", "--threads", "--after-idle-ms", "--no-cold-sizes", "--levels", "--intra-op-threads", "--isa"})
      if (cmd.count(flag) > 0) throw InputError(flag, "does not apply to --device gpu (a CPU calibration flag)");
    return execute_gpu(f);
  }
  const std::vector<ModelSpec> specs = load_specs(f);
  CpuCalibrationOptions o;
  o.batches = f.batches.empty() ? default_batch_ladder() : parse_int_list("--batches", f.batches, 1, 65536);
  o.repeats = f.repeats;
  o.passes = f.passes;
  if (f.min_time_ms > 0) o.min_seconds = f.min_time_ms / 1e3;
  o.instances = f.threads > 0 ? f.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (f.after_idle_ms.empty()) o.after_idle_gaps_ms = default_after_idle_gaps_ms();
  else if (f.after_idle_ms != "0") o.after_idle_gaps_ms = parse_open_interval_list("--after-idle-ms", f.after_idle_ms, 0.0, 1000.0);
  o.cold_sizes = !f.no_cold_sizes;
  if (f.levels.empty()) {
    for (int l = 2; l < o.instances; ++l) o.levels.push_back(l);
  } else if (f.levels != "none") {
    if (o.instances < 3) throw InputError("--levels", "needs --threads of at least 3 (levels lie between 2 and --threads - 1)");
    o.levels = parse_int_list("--levels", f.levels, 2, o.instances - 1);
  }
  const int cpus = static_cast<int>(affinity_cpus().size());
  if (f.intra_op_threads.empty()) {
    o.intra_op_threads = default_intra_op_threads(std::min(cpus, o.instances));
  } else if (f.intra_op_threads != "none") {
    if (cpus < 2) throw InputError("--intra-op-threads", "this process may use " + std::to_string(cpus) + " CPU: no thread count from 2 fits");
    o.intra_op_threads = parse_int_list("--intra-op-threads", f.intra_op_threads, 2, cpus);
  }
  if (f.max_table_mib > 0) o.max_table_bytes = f.max_table_mib * 1024.0 * 1024.0;
  if (!f.out.empty()) check_output_path("--out", f.out, f.analytic.empty() ? std::vector<std::string>{} : std::vector<std::string>{f.analytic});
  check_threads_can_start(o.instances);
  write_latency_profile(measure_cpu_profile(specs, o, f.isa, f.command_line, f.quiet), f.out);
  return kExitDone;
}

}  // namespace

void add_calibrate_command(CLI::App& app, std::function<int()>& run, const std::string& command_line, char** argv) {
  auto f = std::make_shared<CalibrateFlags>();
  f->command_line = command_line;
  f->argv = argv;
  auto* cmd = app.add_subcommand("calibrate", "Measure the models' latency vs batch size on this machine");
  CLI::Option* tiers =
      cmd->add_flag("--tiers", f->tiers,
                "Measure the parameter server's lower tiers instead (host hash map, RocksDB, a redis-server it starts)");
  cmd->add_option("--device", f->device, "cpu or gpu")->check(CLI::IsMember({"cpu", "gpu"}));
  cmd->add_option("--models", f->models, "Comma-separated model names (default: all eleven)")->check(non_empty());
  cmd->add_option("--batches", f->batches,
                  "Comma-separated batch sizes (default: 1..1024, powers of two and midpoints; with --tiers: keys per lookup, default 1,16,256,4096)")->check(non_empty());
  cmd->add_option("--repeats", f->repeats, "Minimum timed runs per batch size (default 15)")->check(CLI::Range(1, 100000));
  cmd->add_option("--min-time", f->min_time_ms,
                  "Timed work per batch size, ms, over all passes (default: CPU 250, GPU 30)")
      ->check(finite_in(0.001, 1e7));
  cmd->add_option("--passes", f->passes, "CPU: walks over the batch ladder, samples pooled (default 5)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--threads", f->threads, "Instances run at once for the contention profile (default: all cores)")
      ->check(CLI::Range(1, 4096));
  cmd->add_option("--levels", f->levels,
                  "Contention levels measured below --threads: instances at once, comma-separated, or none (default: every one from 2)")
      ->check(non_empty());
  cmd->add_option("--intra-op-threads", f->intra_op_threads,
                  "Also time each batch size alone with each of these intra-op thread counts, comma-separated, "
                  "from 2 to the CPUs this process may use, or none (default: the powers of two below --threads, and --threads)")
      ->check(non_empty());
  cmd->add_option("--after-idle-ms", f->after_idle_ms,
                  "Also time each batch size handed to a thread idle this long, ms, comma-separated gaps "
                  "(default 2,10,50; 0: not measured)")
      ->check(non_empty());
  cmd->add_flag("--no-cold-sizes", f->no_cold_sizes,
                "Do not time each batch size cold (in a shuffled mixture with every size up to 64, each after a run of the largest)");
  cmd->add_option("--isa", f->isa, "Cap oneDNN's CPU ISA: all, sse41, avx, avx2, avx512_core")->check(non_empty());
  cmd->add_option("--max-table-mib", f->max_table_mib, "Shrink each model's tables (rows_scale) to fit this many MiB (default: 512e6 bytes on the CPU, 8e9 on the GPU)")
      ->check(finite_in(1.0, 1e7));
  cmd->add_option("--analytic", f->analytic,
                  "With --device gpu: compute a roofline profile of the GPU described in FILE (kernels/gpus/)")->check(non_empty());
  cmd->add_option("--efficiencies", f->efficiencies,
                  "With --analytic: the roofline's efficiencies and overheads from FILE (written by recsim fit-gpu; "
                  "default: the GPU's peaks)")->check(non_empty());

  cmd->add_option("--tier-list", f->tier_list, "With --tiers: which (default host_hash_map,rocksdb,redis)")->check(non_empty())->needs(tiers);
  cmd->add_option("--dims", f->dims, "With --tiers: vector dimensions (default 32,64,128)")->check(non_empty())->needs(tiers);
  cmd->add_option("--rows", f->rows, "With --tiers: vectors stored per dimension (default 262144)")
      ->check(CLI::Range(static_cast<std::int64_t>(1), static_cast<std::int64_t>(1) << 31))->needs(tiers);
  cmd->add_option("--dir", f->dir, "With --tiers: where RocksDB's files go (default: the temporary directory)")->check(non_empty())->needs(tiers);
  cmd->add_option("--out", f->out, "Write the profile JSON to FILE (default: stdout)")->check(non_empty());
  cmd->add_flag("--quiet", f->quiet, "No progress lines on stderr");
  cmd->callback([f, cmd, &run] { run = [f, cmd] { return f->tiers ? execute_tiers(*f, *cmd) : execute(*f, *cmd); }; });
}

}  // namespace recsim
