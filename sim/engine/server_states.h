#pragma once
// Whether each server serves: the one place where failures (sim/engine/failure_injector.h) and
// autoscaling (sim/engine/autoscaler.h) meet. A server is faulted while it has failed or its rack's
// switch has cut it off (each cause counted: two overlapping faults end when both do), and, for
// autoscaling, in one of four modes: active, draining (scaled in: no new queries, finishing its
// own), off (powered down) or booting (powered, not yet serving). It takes new queries (the
// dispatcher's routing) when active and not faulted; it serves (the observers' "up") when active or
// draining and not faulted; it draws power unless failed or off. Each change of (up, powered) is
// told to the observers through the query tracker.
#include "sim/engine/dispatcher.h"
#include "sim/engine/query_tracker.h"
#include "sim/engine/server.h"

#include <memory>
#include <vector>

namespace recsim {

// What the faults did over a run.
struct FaultStats {
  std::uint64_t faults = 0;    // servers becoming faulted
  double faulted_s = 0.0;      // server-seconds faulted
  double all_healthy_s = 0.0;  // seconds with no server faulted
  int most_faulted = 0;        // the most faulted at once
};

class ServerStates {
 public:
  enum class Fault { failed, isolated };
  enum class Mode { active, draining, off, booting };

  ServerStates(std::vector<std::unique_ptr<Server>>& servers, Dispatcher& dispatcher, QueryTracker& tracker);

  // A fault of server `s` begins (or ends) at `now`. Returns true when the server just stopped
  // serving because of it: the caller then takes back the queries it holds.
  bool fault(std::size_t s, Fault cause, bool begins, double now);
  // Autoscaling moves server `s` to `mode` at `now`.
  void set_mode(std::size_t s, Mode mode, double now);

  Mode mode(std::size_t s) const { return state_[s].mode; }
  bool faulted(std::size_t s) const { return state_[s].failed > 0 || state_[s].isolated > 0; }
  bool serving(std::size_t s) const { return !faulted(s) && (state_[s].mode == Mode::active || state_[s].mode == Mode::draining); }
  bool powered(std::size_t s) const { return state_[s].failed == 0 && state_[s].mode != Mode::off; }
  // Server-seconds each server drew power, up to `end`.
  double powered_seconds(std::size_t s, double end) const;
  FaultStats fault_stats(double end) const;

 private:
  struct State {
    int failed = 0, isolated = 0;
    Mode mode = Mode::active;
    double powered_since = 0.0, powered_s = 0.0;
  };
  // Tells the dispatcher and the observers what changed between `before` and now.
  void changed(std::size_t s, const State& before, double now);
  void account_faults(double now);

  std::vector<std::unique_ptr<Server>>& servers_;
  Dispatcher& dispatcher_;
  QueryTracker& tracker_;
  std::vector<State> state_;
  FaultStats faults_;
  int faulted_now_ = 0;
  double last_ = 0.0;
};

}  // namespace recsim
