#include "sim/engine/gpu_device.h"

#include "sim/engine/metered_transfer.h"

#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>

#include <algorithm>
#include <cmath>

namespace recsim {
namespace {

enum StageIndex { kUpload = 0, kKernel = 1, kDownload = 2 };
const char* const kStageNames[] = {"h2d", "kernels", "d2h"};

std::uint64_t bytes_for(int items, double bytes_per_item) {
  return static_cast<std::uint64_t>(std::ceil(items * bytes_per_item));
}

}  // namespace

GpuDevice::GpuDevice(GpuHost gpu, simgrid::s4u::Host* server, std::vector<const ServiceSpec*> services, QueryTracker& tracker,
                     const MeasurementWindow& metrics, std::vector<std::unique_ptr<GpuEmbeddingCache>> caches)
    : gpu_(std::move(gpu)),
      server_(server),
      services_(std::move(services)),
      tracker_(tracker),
      metrics_(metrics),
      stages_{Stage(metrics), Stage(metrics), Stage(metrics)},
      h2d_link_(metrics),
      d2h_link_(metrics),
      tier_wait_(metrics),
      caches_(std::move(caches)),
      stage_times_(kGpuSizeClasses) {
  for (auto& c : caches_)
    if (c) c->measure(h2d_link_, tier_wait_);
}

void GpuDevice::start() {
  for (int i = 0; i < 3; ++i)
    stages_[static_cast<std::size_t>(i)].actor =
        simgrid::s4u::Actor::create(gpu_.name + "/" + kStageNames[i], gpu_.host, [this, i] { run_stage(i); })->daemonize();
  for (auto& c : caches_)
    if (c) c->start();
}

void GpuDevice::submit(std::uint32_t slot, int items, int model) {
  ++outstanding_;
  if (metrics_.window_open()) {
    const double kernel = services_[static_cast<std::size_t>(model)]->gpu_curve->seconds_at(items);
    offered_kernel_ += kernel;
    offered_kernel_square_ += kernel * kernel;
  }
  push(kUpload, {slot, items, model, epoch_});
}

std::vector<std::uint32_t> GpuDevice::fail(double now) {
  failed_at_ = now;
  std::vector<std::uint32_t> caught;
  for (Stage& s : stages_) {
    for (const Job& j : s.queue) caught.push_back(j.slot);
    s.queue.clear();
    if (s.current) caught.push_back(*s.current);
    s.current.reset();
  }
  std::sort(caught.begin(), caught.end());
  caught.erase(std::unique(caught.begin(), caught.end()), caught.end());
  ++epoch_;
  outstanding_ = 0;
  return caught;
}

void GpuDevice::push(int stage, Job job) {
  Stage& s = stages_[static_cast<std::size_t>(stage)];
  s.queue.push_back(job);
  if (s.parked) {
    s.parked = false;
    s.actor->resume();
  }
}

double GpuDevice::work(int stage, const Job& job) {
  switch (stage) {
    case kUpload:
      tracker_.request_started(job.slot, simgrid::s4u::Engine::get_clock());
      if (GpuEmbeddingCache* c = cache(static_cast<std::size_t>(job.model))) c->look_up(job.items, tracker_.measured(job.slot));
      // Each copy: its fixed cost (launch, driver, DMA set-up), then its bytes over the link.
      if (service(job).gpu_upload_fixed_s > 0) simgrid::s4u::this_actor::sleep_for(service(job).gpu_upload_fixed_s);
      metered_transfer(h2d_link_, server_, gpu_.host, bytes_for(job.items, service(job).input_bytes_per_item));
      break;
    case kKernel: simgrid::s4u::this_actor::sleep_for(service(job).gpu_curve->seconds_at(job.items)); break;
    default:
      if (service(job).gpu_download_fixed_s > 0) simgrid::s4u::this_actor::sleep_for(service(job).gpu_download_fixed_s);
      metered_transfer(d2h_link_, gpu_.host, server_, bytes_for(job.items, service(job).output_bytes_per_item));
  }
  return simgrid::s4u::Engine::get_clock();
}

void GpuDevice::run_stage(int index) {
  Stage& s = stages_[static_cast<std::size_t>(index)];
  for (;;) {
    while (s.queue.empty()) {
      s.parked = true;
      simgrid::s4u::this_actor::suspend();
    }
    Job job = s.queue.front();
    s.queue.pop_front();
    const double start = simgrid::s4u::Engine::get_clock();
    s.busy.begin(start);
    s.current = job.slot;
    const double end = work(index, job);
    if (job.epoch != epoch_) {  // its server failed meanwhile: the query was re-issued or lost
      s.busy.end(std::max(start, failed_at_));
      continue;
    }
    s.busy.end(end);
    s.current.reset();
    tracker_.gpu_stage(job.slot, gpu_.index, index, start, end);
    job.stage_seconds[index] = end - start;
    if (index < kDownload) {
      push(index + 1, job);
    } else {
      --outstanding_;
      ++served_;
      if (tracker_.measured(job.slot)) {
        GpuStageTimes& t = stage_times_[static_cast<std::size_t>(gpu_size_class(job.items))];
        ++t.queries;
        t.upload_s += job.stage_seconds[kUpload];
        t.kernel_s += job.stage_seconds[kKernel];
        t.download_s += job.stage_seconds[kDownload];
      }
      tracker_.request_finished(job.slot, end);
    }
  }
}

}  // namespace recsim
