#pragma once
// One simulated GPU: a FIFO of offloaded queries in front of three stages, each an actor on the
// GPU's host that serves one query at a time: the input copy over the PCIe link (host to device,
// a SimGrid communication of the query's input bytes), the kernels (the GPU profile's kernel time at
// the query's size: one batch at a time), and the output copy (device to host). Stages overlap
// across queries as CUDA streams with asynchronous copies do: query k+1's inputs travel while query
// k computes. A query completes when its outputs are back on the server. With an embedding cache
// (sim/engine/gpu_embedding_cache.h), the upload stage first looks the query's embeddings up in it
// and waits for the synchronous fetches from the lower tiers, whose vectors cross the same PCIe link.
// Measured apart: each stage's busy time, each PCIe direction's busy time (any transfer on it: query
// inputs, outputs, and the cache's vector uploads from every actor), and the upload stage's time
// waiting on the lower tiers.
#include "sim/engine/gpu_embedding_cache.h"
#include "sim/engine/platform.h"
#include "sim/engine/query_tracker.h"
#include "sim/metrics/busy_meter.h"
#include "sim/metrics/measurement_window.h"
#include "sim/metrics/run_results.h"
#include "sim/service/service_spec.h"

#include <simgrid/s4u/Actor.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

namespace recsim {

class GpuDevice {
 public:
  // `services`: per model, its service (GPU kernel curve and bytes per item; null for models this
  // GPU's server does not host). `caches`: per model, the GPU embedding cache of its offloaded
  // queries, or null (empty: none at all).
  GpuDevice(GpuHost gpu, simgrid::s4u::Host* server, std::vector<const ServiceSpec*> services, QueryTracker& tracker,
            const MeasurementWindow& metrics, std::vector<std::unique_ptr<GpuEmbeddingCache>> caches = {});
  GpuDevice(const GpuDevice&) = delete;
  GpuDevice& operator=(const GpuDevice&) = delete;

  // Creates the stage actors (daemons: they end with the simulation).
  void start();
  // Queues query `slot` of `items` items of `model`.
  void submit(std::uint32_t slot, int items, int model = 0);

  const GpuHost& gpu() const { return gpu_; }
  // Failures: its server went down at `now`. Returns the queries queued or in progress in any stage
  // (each once, in slot order) and forgets them: a stage in progress runs to its end and its
  // result is discarded (the stage counts as busy only up to `now`).
  std::vector<std::uint32_t> fail(double now);
  // Queries queued or in any stage: the load balancer's measure.
  std::uint64_t outstanding() const { return outstanding_; }
  std::uint64_t queries_served() const { return served_; }
  // Busy time inside the measurement window, counting what is in progress at `end`: of each stage
  // (the upload stage includes its waits on the lower tiers), of each PCIe direction (transfers
  // only), and of the upload stage's lower-tier reads.
  double upload_busy_seconds(double end) const { return stages_[0].busy.busy_seconds(end); }
  double kernel_busy_seconds(double end) const { return stages_[1].busy.busy_seconds(end); }
  double download_busy_seconds(double end) const { return stages_[2].busy.busy_seconds(end); }
  double h2d_link_busy_seconds(double end) const { return h2d_link_.busy_seconds(end); }
  double d2h_link_busy_seconds(double end) const { return d2h_link_.busy_seconds(end); }
  double tier_wait_seconds(double end) const { return tier_wait_.busy_seconds(end); }
  // Kernel time of the queries dispatched inside the window (the GPU's offered work).
  double offered_kernel_seconds() const { return offered_kernel_; }
  double offered_kernel_square_sum() const { return offered_kernel_square_; }  // over measured queries
  // The measured queries' time in each stage (from the stage's start to its end: a copy's fixed
  // cost, its bytes on the link and any lower-tier wait; the kernels), by query-size class
  // (kGpuSizeClasses).
  const std::vector<GpuStageTimes>& stage_times() const { return stage_times_; }
  // Model `model`'s embedding cache; null without one.
  GpuEmbeddingCache* cache(std::size_t model = 0) const { return model < caches_.size() ? caches_[model].get() : nullptr; }

 private:
  struct Job {
    std::uint32_t slot;
    int items;
    int model;
    std::uint64_t epoch = 0;  // the GPU's epoch when it was queued: a later failure voids it
    double stage_seconds[3] = {0, 0, 0};
  };
  struct Stage {
    explicit Stage(const MeasurementWindow& m) : busy(m) {}
    std::deque<Job> queue;
    simgrid::s4u::Actor* actor = nullptr;
    bool parked = false;
    BusyMeter busy;
    std::optional<std::uint32_t> current;  // the slot of the job in progress
  };
  void run_stage(int index);
  void push(int stage, Job job);
  double work(int stage, const Job& job);
  const ServiceSpec& service(const Job& job) const { return *services_[static_cast<std::size_t>(job.model)]; }  // performs the stage's work for one job (blocks in virtual time)

  GpuHost gpu_;
  simgrid::s4u::Host* server_;
  std::vector<const ServiceSpec*> services_;
  QueryTracker& tracker_;
  const MeasurementWindow& metrics_;
  std::array<Stage, 3> stages_;
  BusyMeter h2d_link_, d2h_link_, tier_wait_;
  std::uint64_t outstanding_ = 0;
  std::uint64_t served_ = 0;
  std::uint64_t epoch_ = 0;
  double failed_at_ = 0.0;  // when the last failure voided the jobs in progress
  double offered_kernel_ = 0.0;
  double offered_kernel_square_ = 0.0;
  std::vector<std::unique_ptr<GpuEmbeddingCache>> caches_;  // per model
  std::vector<GpuStageTimes> stage_times_;
};

}  // namespace recsim
