#pragma once
// Carries out the scenario's autoscaling (sim/scaling/autoscaling_spec.h) in virtual time: an
// observer of the work placed on each scaled group (cores' and GPUs' busy time as requests are
// placed, less what failures take back) and an actor that, every interval, asks each group's policy
// how many servers it wants and moves servers between the modes of ServerStates: out, a draining
// server is reactivated first, else a powered-off one boots (startup_s powered and idle) and then
// serves; in, a booting server is switched off first, else the active server with the highest
// index drains (no new queries; those already on their way still reach it) and powers off once the
// last of them is done. A faulted server does
// not count as active: the policy replaces it if it wants the capacity.
#include "sim/engine/dispatcher.h"
#include "sim/engine/gpu_device.h"
#include "sim/engine/server.h"
#include "sim/engine/server_states.h"
#include "sim/metrics/query_observer.h"
#include "sim/metrics/run_results.h"
#include "sim/scaling/autoscaling_spec.h"
#include "sim/scenario/fleet.h"

#include <simgrid/s4u/Host.hpp>

#include <cstdint>
#include <memory>
#include <queue>
#include <vector>

namespace recsim {

class Autoscaler final : public QueryObserver {
 public:
  Autoscaler(const AutoscalingSpec& spec, const Fleet& fleet, std::vector<std::unique_ptr<Server>>& servers,
             std::vector<std::vector<GpuDevice*>> gpus_of, const Dispatcher& dispatcher, ServerStates& states);
  Autoscaler(const Autoscaler&) = delete;
  Autoscaler& operator=(const Autoscaler&) = delete;

  // Powers off each group's servers beyond its `initial` and creates the actor (a daemon).
  void start(simgrid::s4u::Host* home);

  void cpu_request(const RequestSpan& r) override;
  void cpu_request_cut(int server, int group, double from, double to, int cores) override;
  void gpu_stage(const GpuStageSpan& s) override;

  AutoscalingReport report(double end) const;

 private:
  enum class Kind { tick, off, ready };
  struct Event {
    double time;
    std::uint64_t seq;
    Kind kind;
    std::size_t server;
    std::uint64_t generation;  // the server's generation when it was planned: a later move voids it
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const { return a.time > b.time || (a.time == b.time && a.seq > b.seq); }
  };
  struct Group {
    ScaledGroup bounds;
    std::unique_ptr<ScalingRule> rule;
    std::vector<std::size_t> servers;  // global indices, increasing
    double cpu_work = 0.0, gpu_work = 0.0;  // since the last decision
    double cpu_total = 0.0, gpu_total = 0.0;  // over the run
    std::uint64_t outs = 0, ins = 0;
  };
  void push(double time, Kind kind, std::size_t server);
  void run();
  void decide(Group& g, double now);
  void scale_out(Group& g, int n, double now);
  void scale_in(Group& g, int n, double now);
  void move(std::size_t server, ServerStates::Mode mode, double now);
  bool idle(std::size_t server) const;

  const AutoscalingSpec& spec_;
  const Fleet& fleet_;
  std::vector<std::unique_ptr<Server>>& servers_;
  std::vector<std::vector<GpuDevice*>> gpus_of_;
  const Dispatcher& dispatcher_;
  ServerStates& states_;
  std::vector<Group> groups_;
  std::vector<int> group_of_;  // per fleet group: its entry in groups_, or -1
  std::vector<std::uint64_t> generation_;  // per server
  std::priority_queue<Event, std::vector<Event>, Later> events_;
  std::uint64_t seq_ = 0;
  // A draining server still waiting on queries in transit or on its GPUs is looked at again this
  // much later (a thousandth of a decision interval: its power-off is at most that late).
  double recheck_s_;
};

}  // namespace recsim
