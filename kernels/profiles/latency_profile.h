#pragma once
// A measured (or analytic) latency profile: for each model, latency vs batch size on one device,
// with its provenance. Written by `recsim calibrate`, read by the simulator. The file format is
// documented in docs/calibration.md.
#include "kernels/profiles/curve_fit.h"
#include "kernels/profiles/latency_curve.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct LatencyPoint {
  int batch = 1;
  double median_ms = 0, p10_ms = 0, p90_ms = 0, min_ms = 0, max_ms = 0;
  int samples = 0;
};

struct ModelLatency {
  double rows_scale = 1.0;
  std::vector<LatencyPoint> single;       // one instance alone (one core, or the GPU end to end)
  int contention_instances = 0;           // CPU: instances running at once for `contention`
  std::vector<LatencyPoint> contention;   // CPU: latency while every core runs its own instance
  // CPU: the same with fewer instances at once (levels of contention_instances' measurement below
  // the top one), by instances, increasing.
  std::vector<std::pair<int, std::vector<LatencyPoint>>> contention_levels;
  // CPU: latency of requests handed to an instance's pinned thread that waited idle for a gap, one
  // entry per gap measured (increasing): `first` from the hand-over to the end of the run (the
  // wake-up, caches cooled by the pause), `next` the run right after it on the same thread (caches
  // still warming; empty where not measured).
  struct AfterIdle {
    double gap_ms = 0.0;
    std::vector<LatencyPoint> first;
    std::vector<LatencyPoint> next;
  };
  std::vector<AfterIdle> after_idle;
  // CPU: latency of a run of a size the thread has not run lately (other sizes' primitives and
  // buffers in the caches): the ladder's sizes up to 64, in a shuffled mixture of every size up to 64.
  std::vector<LatencyPoint> cold_size;
  // CPU: each alone run's time over the median of its pass at that batch size, pooled over the
  // passes (ratios, not ms): how much one run varies while the machine holds still.
  std::vector<LatencyPoint> run_spread;
  // CPU: one instance alone running each request with T intra-op threads (OpenMP, one per core, its
  // T cores its own), by T increasing from 2.
  std::vector<std::pair<int, std::vector<LatencyPoint>>> intra_op_threads;
  std::vector<LatencyPoint> kernel_only;  // GPU: kernel time without transfers
  std::vector<LatencyPoint> upload;       // GPU: host -> device copy of the inputs
  std::vector<LatencyPoint> download;     // GPU: device -> host copy of the outputs
};

// Which curve the simulator uses: the fitted model of the points (kernels/profiles/curve_fit.h, the
// default) or linear interpolation between the raw medians.
enum class ProfileFit { smooth, raw };

struct LatencyProfile {
  std::string device;   // "cpu" or "gpu"
  std::string source;   // "measured" or "analytic"
  nlohmann::ordered_json provenance;  // where and how it was measured (or the analytic inputs)
  std::map<std::string, ModelLatency> models;

  // The model's single-instance curve. Throws InputError if the model is absent. Every curve is
  // fitted (ProfileFit::smooth) unless asked raw.
  LatencyCurve curve(const std::string& model, const std::string& where, ProfileFit mode = ProfileFit::smooth) const;
  // The contention and after-idle curves: where one lies below the alone curve by no more than 3
  // standard errors of their difference (the fit's, or raw: each median's from its p10-p90 spread
  // and samples), the point takes the alone value (noise, not a speed-up); a significant speed-up is kept.
  std::optional<LatencyCurve> contention_curve(const std::string& model, ProfileFit mode = ProfileFit::smooth) const;
  // The after-idle curves by gap (increasing; empty when not measured), and the cold-size curve.
  std::vector<AfterIdleCurves> after_idle_curves(const std::string& model, ProfileFit mode = ProfileFit::smooth) const;
  std::optional<LatencyCurve> cold_size_curve(const std::string& model, ProfileFit mode = ProfileFit::smooth) const;
  // CPU: the within-pass spread of one run's time by batch size (empty when not measured).
  std::vector<RunSpreadPoint> run_spread(const std::string& model) const;
  // CPU: the lower contention levels' curves, by instances (increasing; the top level is contention_curve).
  std::vector<std::pair<int, LatencyCurve>> contention_level_curves(const std::string& model,
                                                                    ProfileFit mode = ProfileFit::smooth) const;
  // CPU: the curves of requests run with T intra-op threads, by T (increasing from 2; empty when
  // not measured). Fitted as the alone curve is, not tied to it (threads are meant to be faster).
  std::vector<std::pair<int, LatencyCurve>> intra_op_thread_curves(const std::string& model,
                                                                   ProfileFit mode = ProfileFit::smooth) const;
  // GPU: each copy's fixed cost, ms: the intercept at zero items of a least-squares line through the
  // upload (or download) medians, within [0, the smallest median]; 0 when the profile has none.
  double copy_fixed_ms(const std::string& model, bool upload) const;
  // GPU: the model's kernel-only curve (absent when the profile has none for it).
  std::optional<LatencyCurve> kernel_curve(const std::string& model, ProfileFit mode = ProfileFit::smooth) const;
};

// A profile's points as the fit's inputs (kernels/profiles/curve_fit.h): each median's relative
// standard error from its p10-p90 spread and samples; a point without samples is exact.
std::vector<FitInput> fit_inputs(const std::vector<LatencyPoint>& points);

nlohmann::ordered_json profile_to_json(const LatencyProfile& profile);
// Throws InputError naming the file and JSON path on any invalid content.
LatencyProfile load_latency_profile(const std::string& path);

}  // namespace recsim
