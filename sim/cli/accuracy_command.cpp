// `recsim accuracy PROFILE [--json]`: how well interpolation between measured batch sizes predicts
// the batch sizes it was not given (kernels/calibration/holdout_accuracy.h). Prints one table row
// per model (median and max relative error, which batch sizes were held out) and, with --json, the
// per-point comparison as JSON on stdout.
#include "kernels/calibration/holdout_accuracy.h"
#include "kernels/profiles/latency_profile.h"
#include "sim/cli/commands.h"
#include "sim/cli/flag_checks.h"
#include "workloads/input_error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <memory>

namespace recsim {
namespace {

struct AccuracyFlags {
  std::string profile;
  bool json = false;
};

int execute(const AccuracyFlags& f) {
  const LatencyProfile profile = load_latency_profile(f.profile);
  const auto accuracy = holdout_accuracy(profile);
  if (accuracy.empty())
    throw InputError(f.profile, "no model has two or more power-of-two batch sizes and another batch size to predict");
  if (f.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& a : accuracy) {
      auto& m = out[a.model];
      m["median_error"] = a.median_error;
      m["max_error"] = a.max_error;
      m["fit"] = {{"median_error", a.fit_median_error}, {"max_error", a.fit_max_error}, {"between_point_noise", a.tau}};
      m["points"] = nlohmann::ordered_json::array();
      for (const auto& p : a.points)
        m["points"].push_back({{"batch", p.batch}, {"measured_ms", p.measured_ms}, {"predicted_ms", p.predicted_ms},
                               {"relative_error", p.relative_error},
                               {"fitted_ms", p.fitted_ms}, {"fit_relative_error", p.fit_relative_error}});
    }
    std::fputs((out.dump(2) + "\n").c_str(), stdout);
    return kExitDone;
  }
  std::printf("the power-of-two batch sizes predicting the others (%s): raw interpolation and the fitted model\n",
              f.profile.c_str());
  std::printf("%-10s %7s %11s %11s %11s %11s %7s  %s\n", "model", "points", "raw median", "raw max", "fit median", "fit max",
              "noise", "worst (raw) at batch");
  for (const auto& a : accuracy) {
    const HoldoutError* worst = &a.points.front();
    for (const auto& p : a.points)
      if (p.relative_error > worst->relative_error) worst = &p;
    std::printf("%-10s %7zu %10.2f%% %10.2f%% %10.2f%% %10.2f%% %6.1f%%  %d (%.4g ms measured, %.4g raw, %.4g fit)\n",
                a.model.c_str(), a.points.size(), 100 * a.median_error, 100 * a.max_error, 100 * a.fit_median_error,
                100 * a.fit_max_error, 100 * a.tau, worst->batch, worst->measured_ms, worst->predicted_ms, worst->fitted_ms);
  }
  return kExitDone;
}

}  // namespace

void add_accuracy_command(CLI::App& app, std::function<int()>& run) {
  auto f = std::make_shared<AccuracyFlags>();
  auto* cmd = app.add_subcommand("accuracy", "Check a profile's interpolation against its held-out batch sizes");
  cmd->add_option("profile", f->profile, "Profile JSON written by recsim calibrate")->required()->check(non_empty());
  cmd->add_flag("--json", f->json, "Print every held-out point as JSON");
  cmd->callback([f, &run] { run = [f] { return execute(*f); }; });
}

}  // namespace recsim
