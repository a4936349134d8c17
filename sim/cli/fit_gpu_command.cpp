// `recsim fit-gpu [--measurements FILE] [--out FILE] [--quiet]`: fits the analytic GPU model's
// efficiencies and overheads to published GPU measurements (kernels/analytic/gpu_model_fit.h) and
// writes them as an efficiencies file (to stdout, or atomically to --out) for
// `recsim calibrate --device gpu --analytic GPU_FILE --efficiencies FILE`. On stderr (unless
// --quiet), every measurement published against predicted.
#include "kernels/analytic/gpu_model_fit.h"
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "sim/cli/output_path.h"
#include "sim/engine/atomic_file.h"
#include "sim/provenance/host_info.h"
#include "workloads/input_error.h"

#include <cstdio>
#include <memory>

namespace recsim {
namespace {

struct FitGpuFlags {
  std::string measurements = shipped_gpu_measurements_file();
  std::string out;
  bool quiet = false;
  std::string command_line;
};

std::string published_text(const GpuMeasurement& m) {
  char buf[64];
  if (m.value > 0)
    std::snprintf(buf, sizeof buf, "%.4g", m.value);
  else
    std::snprintf(buf, sizeof buf, "%.3g-%.3g", m.min, m.max);
  return buf;
}

void print_table(const GpuFitTargets& targets, const GpuFitResult& r) {
  const auto& e = r.efficiencies;
  std::fprintf(stderr,
               "fitted (%ld evaluations): GEMM %.3g of peak FP32, streaming %.3g and gathers %.3g of memory bandwidth\n",
               r.evaluations, e.gemm, e.stream, e.gather);
  for (const auto& [name, s] : r.by_stack)
    std::fprintf(stderr, "  stack %-16s copies %.3g of PCIe, %.3g us per kernel, %.3g us per copy%s\n", name.c_str(),
                 s.pcie, s.kernel_overhead_s * 1e6, s.copy_overhead_s * 1e6,
                 name == targets.profile_stack ? " (the file's values)" : "");
  std::fprintf(stderr, "%-17s %-12s %-12s %-15s %7s %12s %12s %9s  %-5s  %s\n", "measurement", "gpu", "model", "stack", "batch",
               "published", "predicted", "error", "use", "at peaks");
  static const char* names[] = {"speed-up over CPU", "transfer share", "latency (ms)"};
  for (std::size_t i = 0; i < targets.measurements.size(); ++i) {
    const auto& m = targets.measurements[i];
    const auto& p = r.points[i];
    std::fprintf(stderr, "%-17s %-12s %-12s %-15s %7d %12s %12.4g %+8.1f%%  %-5s  %.4g\n", names[static_cast<int>(m.what)],
                 m.gpu.c_str(), m.model.c_str(), m.stack.c_str(), m.batch, published_text(m).c_str(), p.predicted,
                 100 * p.error, m.fit ? "fit" : "check", p.at_peaks);
  }
  std::fprintf(stderr, "rms log error: %.3f over the fitted points, %.3f over the checks\n", r.rms_log_error_fit,
               r.rms_log_error_check);
}

int execute(const FitGpuFlags& f) {
  if (!f.out.empty()) check_output_path("--out", f.out, {f.measurements});
  GpuFitTargets targets;
  try {
    targets = load_gpu_fit_targets(f.measurements);
  } catch (const InputError& e) {
    throw InputError("--measurements", e.what());
  }
  const GpuFitResult result = fit_gpu_model(targets);
  if (!f.quiet) print_table(targets, result);
  nlohmann::ordered_json report = fit_report(targets, result);
  report["date"] = utc_now();
  report["command"] = f.command_line;
  const std::string text = efficiencies_document(result.efficiencies, report).dump(2) + "\n";
  if (f.out.empty())
    std::fputs(text.c_str(), stdout);
  else
    write_file_atomically(f.out, text);
  return kExitDone;
}

}  // namespace

void add_fit_gpu_command(CLI::App& app, std::function<int()>& run, const std::string& command_line) {
  auto f = std::make_shared<FitGpuFlags>();
  f->command_line = command_line;
  auto* cmd = app.add_subcommand("fit-gpu", "Fit the analytic GPU model's efficiencies to published GPU measurements");
  cmd->add_option("--measurements", f->measurements,
                  "Published measurements (default kernels/gpus/published-gpu-measurements.json)")
      ->check(non_empty());
  cmd->add_option("--out", f->out, "Write the efficiencies file here (default: stdout)")->check(non_empty());
  cmd->add_flag("--quiet", f->quiet, "Do not print the fit's table on stderr");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
