#include "sim/engine/server_states.h"

#include <algorithm>

namespace recsim {

ServerStates::ServerStates(std::vector<std::unique_ptr<Server>>& servers, Dispatcher& dispatcher, QueryTracker& tracker)
    : servers_(servers), dispatcher_(dispatcher), tracker_(tracker), state_(servers.size()) {}

void ServerStates::account_faults(double now) {
  if (faulted_now_ == 0) faults_.all_healthy_s += now - last_;
  faults_.faulted_s += faulted_now_ * (now - last_);
  last_ = now;
}

bool ServerStates::fault(std::size_t s, Fault cause, bool begins, double now) {
  const State before = state_[s];
  int& count = cause == Fault::failed ? state_[s].failed : state_[s].isolated;
  count += begins ? 1 : -1;
  const bool was = before.failed > 0 || before.isolated > 0, is = faulted(s);
  if (was != is) {
    account_faults(now);
    faulted_now_ += is ? 1 : -1;
    if (is) {
      ++faults_.faults;
      faults_.most_faulted = std::max(faults_.most_faulted, faulted_now_);
    }
  }
  changed(s, before, now);
  return is && !was && (before.mode == Mode::active || before.mode == Mode::draining);
}

void ServerStates::set_mode(std::size_t s, Mode mode, double now) {
  const State before = state_[s];
  state_[s].mode = mode;
  changed(s, before, now);
}

void ServerStates::changed(std::size_t s, const State& before, double now) {
  State& st = state_[s];
  const bool was_faulted = before.failed > 0 || before.isolated > 0;
  const bool was_routable = !was_faulted && before.mode == Mode::active;
  const bool was_serving = !was_faulted && (before.mode == Mode::active || before.mode == Mode::draining);
  const bool was_powered = before.failed == 0 && before.mode != Mode::off;
  const bool routable = !faulted(s) && st.mode == Mode::active;
  if (routable != was_routable) dispatcher_.set_up(s, routable);
  if (faulted(s) != was_faulted) dispatcher_.set_reachable(s, !faulted(s));
  const bool is_serving = serving(s), is_powered = powered(s);
  if (is_powered != was_powered) {
    if (is_powered)
      st.powered_since = now;
    else
      st.powered_s += now - st.powered_since;
  }
  if (is_serving != was_serving || is_powered != was_powered)
    tracker_.server_state(static_cast<int>(s), servers_[s]->host().group, now, is_serving, is_powered);
}

double ServerStates::powered_seconds(std::size_t s, double end) const {
  const State& st = state_[s];
  return st.powered_s + (powered(s) ? std::max(0.0, end - st.powered_since) : 0.0);
}

FaultStats ServerStates::fault_stats(double end) const {
  FaultStats f = faults_;
  const double span = std::max(0.0, end - last_);
  if (faulted_now_ == 0) f.all_healthy_s += span;
  f.faulted_s += faulted_now_ * span;
  return f;
}

}  // namespace recsim
