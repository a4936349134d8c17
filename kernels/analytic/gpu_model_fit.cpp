#include "kernels/analytic/gpu_model_fit.h"

#include "kernels/data_dir.h"

#include "kernels/analytic/analytic_gpu_profile.h"
#include "kernels/profiles/latency_profile.h"
#include "workloads/input_error.h"
#include "workloads/json_reader.h"

#include <boost/math/tools/minima.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

namespace recsim {
namespace {

const char* what_name(GpuMeasurement::What w) {
  switch (w) {
    case GpuMeasurement::What::speedup_over_cpu: return "speedup_over_cpu";
    case GpuMeasurement::What::transfer_share: return "transfer_share";
    case GpuMeasurement::What::latency_ms: return "latency_ms";
  }
  return "";
}

std::string beside(const std::string& file, const std::string& relative) {
  return (std::filesystem::path(file).parent_path() / relative).lexically_normal().string();
}

double log_residual(const GpuMeasurement& m, double predicted) {
  if (m.value > 0) return std::log(predicted / m.value);
  if (predicted < m.min) return std::log(predicted / m.min);
  if (predicted > m.max) return std::log(predicted / m.max);
  return 0;
}

double relative_error(const GpuMeasurement& m, double predicted) {
  if (m.value > 0) return predicted / m.value - 1;
  if (predicted < m.min) return predicted / m.min - 1;
  if (predicted > m.max) return predicted / m.max - 1;
  return 0;
}

// The fitted parameters in log space: the shared gemm, stream and gather efficiencies, then for each
// stack its PCIe efficiency, kernel and copy overheads (s).
constexpr int kShared = 3, kPerStack = 3;
const double kEfficiencyLow = std::log(1e-3), kOverheadLow = std::log(0.1e-6), kOverheadHigh = std::log(1000e-6);

double low_of(std::size_t k) { return k < kShared || (k - kShared) % kPerStack == 0 ? kEfficiencyLow : kOverheadLow; }
double high_of(std::size_t k) { return k < kShared || (k - kShared) % kPerStack == 0 ? 0.0 : kOverheadHigh; }

GpuEfficiencies efficiencies_of(const std::vector<double>& p, std::size_t stack) {
  GpuEfficiencies e;
  e.gemm = std::exp(p[0]);
  e.stream = std::exp(p[1]);
  e.gather = std::exp(p[2]);
  const std::size_t s = kShared + kPerStack * stack;
  e.pcie = std::exp(p[s]);
  e.kernel_overhead_s = std::exp(p[s + 1]);
  e.copy_overhead_s = std::exp(p[s + 2]);
  return e;
}

std::size_t stack_index(const GpuFitTargets& t, const std::string& stack) {
  return static_cast<std::size_t>(std::find(t.stacks.begin(), t.stacks.end(), stack) - t.stacks.begin());
}

}  // namespace

std::string shipped_gpu_measurements_file() {
  return recsim_data_dir() + "/kernels/gpus/published-gpu-measurements.json";
}

GpuFitTargets load_gpu_fit_targets(const std::string& path) {
  const auto doc = read_json_file(path);
  GpuFitTargets t;
  t.path = path;
  try {
    JsonReader r(doc, "");
    r.choice("format", {"recsim-gpu-measurements/1"});
    r.string_or("note", "");
    t.cpu_profile = r.string("cpu_profile");
    t.profile_stack = r.string("profile_stack");
    t.profile_stack_why = r.string("profile_stack_why");
    r.string("cpu_profile_note");
    LatencyProfile cpu;
    try {
      cpu = load_latency_profile(beside(path, t.cpu_profile));
    } catch (const InputError& e) {
      throw InputError("cpu_profile", e.what());
    }
    if (cpu.device != "cpu") throw InputError("cpu_profile", "expected a CPU profile, got a " + cpu.device + " profile");
    JsonReader gpus = r.object("gpus");
    for (const auto& [name, file] : doc.at("gpus").items()) {
      const std::string gpu_file = gpus.string(name);
      try {
        t.gpus[name] = load_gpu_spec(beside(path, gpu_file));
      } catch (const InputError& e) {
        throw InputError(gpus.child_path(name), e.what());
      }
    }
    gpus.finish();
    const auto& list = r.array("measurements");
    if (list.empty()) throw InputError("measurements", "expected at least one measurement");
    std::map<std::string, ModelSpec> specs;
    for (std::size_t i = 0; i < list.size(); ++i) {
      JsonReader m(list[i], "measurements." + std::to_string(i));
      GpuMeasurement g;
      const std::string what = m.choice("what", {"speedup_over_cpu", "transfer_share", "latency_ms"});
      g.what = what == "speedup_over_cpu" ? GpuMeasurement::What::speedup_over_cpu
               : what == "transfer_share" ? GpuMeasurement::What::transfer_share
                                          : GpuMeasurement::What::latency_ms;
      g.gpu = m.string("gpu");
      if (t.gpus.count(g.gpu) == 0) throw InputError(m.child_path("gpu"), "expected a GPU named in gpus, got \"" + g.gpu + "\"");
      g.model = m.string("model");
      g.stack = m.string("stack");
      if (std::find(t.stacks.begin(), t.stacks.end(), g.stack) == t.stacks.end()) t.stacks.push_back(g.stack);
      g.batch = static_cast<int>(m.integer("batch", 1, 1 << 20));
      if (m.has("value")) {
        g.value = m.number("value", 0, 1e9, true);
        if (m.has("min") || m.has("max")) throw InputError(m.child_path("value"), "give a value or a min and max, not both");
      } else {
        g.min = m.number("min", 0, 1e9, true);
        g.max = m.number("max", 0, 1e9, true);
        if (g.max <= g.min) throw InputError(m.child_path("max"), "expected more than min");
      }
      if (g.what == GpuMeasurement::What::transfer_share && (g.value >= 1 || g.max >= 1))
        throw InputError(m.child_path(g.value > 0 ? "value" : "max"), "a share of time is below 1");
      g.fit = m.choice("use", {"fit", "check"}) == "fit";
      if (!g.fit) g.why = m.string("why");
      g.source = m.string("source");
      m.finish();
      if (g.what == GpuMeasurement::What::speedup_over_cpu) {
        const auto found = cpu.models.find(g.model);
        if (found == cpu.models.end())
          throw InputError(m.child_path("model"), "the CPU profile " + t.cpu_profile + " has no model \"" + g.model + "\"");
        for (const auto& p : found->second.single)
          if (p.batch == g.batch) g.cpu_ms = p.median_ms;
        if (g.cpu_ms <= 0)
          throw InputError(m.child_path("batch"),
                           "the CPU profile " + t.cpu_profile + " has no batch " + std::to_string(g.batch) + " for " + g.model);
      }
      if (specs.count(g.model) == 0) {
        try {
          specs.emplace(g.model, load_model_spec(model_file(g.model)));
        } catch (const InputError& e) {
          throw InputError(m.child_path("model"), e.what());
        }
      }
      g.trace = roofline_traces(specs.at(g.model), {g.batch}).front();
      t.measurements.push_back(std::move(g));
    }
    r.finish();
  } catch (const InputError& e) {
    throw InputError(path + ": " + e.where(), e.expected());
  }
  bool any_fit = false;
  for (const auto& m : t.measurements) any_fit |= m.fit;
  if (!any_fit) throw InputError(path + ": measurements", "expected at least one with \"use\": \"fit\"");
  if (std::find(t.stacks.begin(), t.stacks.end(), t.profile_stack) == t.stacks.end())
    throw InputError(path + ": profile_stack", "expected a stack that a measurement names, got \"" + t.profile_stack + "\"");
  return t;
}

double predict(const GpuMeasurement& m, const GpuSpec& gpu, const GpuEfficiencies& e) {
  const RooflineTimes t = roofline_times(m.trace, gpu, e);
  switch (m.what) {
    case GpuMeasurement::What::speedup_over_cpu: return m.cpu_ms / (t.total_s() * 1e3);
    case GpuMeasurement::What::transfer_share: return (t.upload_s + t.download_s) / t.total_s();
    case GpuMeasurement::What::latency_ms: return t.total_s() * 1e3;
  }
  return 0;
}

GpuFitResult fit_gpu_model(const GpuFitTargets& targets) {
  std::vector<std::size_t> stack_of;
  for (const auto& m : targets.measurements) stack_of.push_back(stack_index(targets, m.stack));
  const std::size_t n = kShared + kPerStack * targets.stacks.size();
  long evaluations = 0;
  auto objective = [&](const std::vector<double>& p) {
    ++evaluations;
    double sum = 0;
    for (std::size_t i = 0; i < targets.measurements.size(); ++i) {
      const auto& m = targets.measurements[i];
      if (!m.fit) continue;
      const double r = log_residual(m, predict(m, targets.gpus.at(m.gpu), efficiencies_of(p, stack_of[i])));
      sum += r * r;
    }
    return sum;
  };
  std::vector<double> best;
  double best_value = std::numeric_limits<double>::infinity();
  // 64 starts: each shared efficiency at 0.5 or 0.05; every stack's PCIe efficiency at 0.5 or 0.05,
  // its kernel overhead at 5 or 50 us, its copy overhead at 5 or 50 us.
  for (int start = 0; start < 64; ++start) {
    std::vector<double> p(n);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t role = k < kShared ? k : kShared + (k - kShared) % kPerStack;
      const bool high = (start >> role) & 1;
      p[k] = role < kShared + 1 ? std::log(high ? 0.05 : 0.5) : std::log(high ? 50e-6 : 5e-6);
    }
    double value = objective(p);
    for (int sweep = 0; sweep < 200; ++sweep) {
      const double before = value;
      for (std::size_t k = 0; k < n; ++k) {
        auto along = [&](double x) {
          std::vector<double> q = p;
          q[k] = x;
          return objective(q);
        };
        const auto [x, v] = boost::math::tools::brent_find_minima(along, low_of(k), high_of(k), 24);
        if (v < value) {
          p[k] = x;
          value = v;
        }
      }
      if (before - value <= 1e-12 * (1 + before)) break;
    }
    if (value < best_value) {
      best_value = value;
      best = p;
    }
  }
  GpuFitResult result;
  for (std::size_t s = 0; s < targets.stacks.size(); ++s) result.by_stack[targets.stacks[s]] = efficiencies_of(best, s);
  result.efficiencies = result.by_stack.at(targets.profile_stack);
  result.evaluations = evaluations;
  double fit_sum = 0, check_sum = 0;
  int fit_n = 0, check_n = 0;
  for (std::size_t i = 0; i < targets.measurements.size(); ++i) {
    const auto& m = targets.measurements[i];
    const double p = predict(m, targets.gpus.at(m.gpu), efficiencies_of(best, stack_of[i]));
    const GpuSpec& gpu = targets.gpus.at(m.gpu);
    result.points.push_back({p, relative_error(m, p), predict(m, gpu, peak_efficiencies(gpu))});
    const double r = log_residual(m, p);
    (m.fit ? fit_sum : check_sum) += r * r;
    ++(m.fit ? fit_n : check_n);
  }
  result.rms_log_error_fit = std::sqrt(fit_sum / fit_n);
  result.rms_log_error_check = check_n > 0 ? std::sqrt(check_sum / check_n) : 0;
  return result;
}

nlohmann::ordered_json fit_report(const GpuFitTargets& targets, const GpuFitResult& result) {
  nlohmann::ordered_json points = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < targets.measurements.size(); ++i) {
    const auto& m = targets.measurements[i];
    nlohmann::ordered_json p;
    p["what"] = what_name(m.what);
    p["gpu"] = m.gpu;
    p["model"] = m.model;
    p["stack"] = m.stack;
    p["batch"] = m.batch;
    if (m.value > 0)
      p["published"] = m.value;
    else
      p["published"] = {{"min", m.min}, {"max", m.max}};
    p["predicted"] = result.points[i].predicted;
    p["error"] = result.points[i].error;
    p["predicted_at_peaks"] = result.points[i].at_peaks;
    p["use"] = m.fit ? "fit" : "check";
    if (!m.fit) p["why"] = m.why;
    points.push_back(p);
  }
  nlohmann::ordered_json stacks;
  for (const auto& [name, e] : result.by_stack)
    stacks[name] = {{"pcie_efficiency", e.pcie},
                    {"kernel_overhead_us", e.kernel_overhead_s * 1e6},
                    {"copy_overhead_us", e.copy_overhead_s * 1e6}};
  nlohmann::ordered_json gpus;
  for (const auto& [name, gpu] : targets.gpus) gpus[name] = gpu.name;
  return {{"measurements", targets.path},
          {"cpu_profile", targets.cpu_profile},
          {"gpus", gpus},
          {"method",
           "least squares on log errors over the measurements marked fit (a range counts from its nearer end); "
           "cyclic coordinate descent in log space with Brent's method per coordinate, 64 starts "
           "(kernels/analytic/gpu_model_fit.h)"},
          {"profile_stack", targets.profile_stack},
          {"profile_stack_why", targets.profile_stack_why},
          {"stacks", stacks},
          {"rms_log_error_fit", result.rms_log_error_fit},
          {"rms_log_error_check", result.rms_log_error_check},
          {"points", points}};
}

}  // namespace recsim
