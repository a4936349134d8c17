#include "sim/serving/service_check.h"

#include "sim/service/core_history.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace recsim {
namespace {

struct Interval {
  double begin;  // when the core could take the request
  double end;
};

// Whether the core of `intervals` (in serving order, so increasing) was busy at `t`.
bool busy_at(const std::vector<Interval>& intervals, double t) {
  auto it = std::upper_bound(intervals.begin(), intervals.end(), t, [](double v, const Interval& i) { return v < i.begin; });
  return it != intervals.begin() && std::prev(it)->end > t;
}

}  // namespace

std::optional<MachineShift> machine_shift(const ServiceCheck& check, std::optional<double> reference_change, double threshold,
                                          std::uint64_t min_requests) {
  ServiceCheckGroup idle = check.idle_warm;
  idle.add(check.idle_cold);
  // The smallest error of `groups` (those of at least min_requests), if there are at least
  // `at_least` of them and all are beyond the threshold on the side `sign` (0: either, alike).
  const auto alike = [&](std::initializer_list<const ServiceCheckGroup*> groups, std::size_t at_least,
                         int sign) -> std::optional<double> {
    std::size_t counted = 0;
    int above = 0, below = 0;
    double smallest = 0.0;
    for (const ServiceCheckGroup* g : groups) {
      if (g->requests < min_requests) continue;
      const double e = g->error();
      ++counted;
      above += e > threshold;
      below += e < -threshold;
      if (counted == 1 || std::abs(e) < std::abs(smallest)) smallest = e;
    }
    const int n = static_cast<int>(counted);
    if (counted < at_least || (above != n && below != n) || (sign > 0 && above != n) || (sign < 0 && below != n)) return std::nullopt;
    return smallest;
  };
  if (const auto every = alike({&idle, &check.busy_warm, &check.busy_cold}, 2, 0)) return MachineShift{*every, false};
  // The reference timing slower now (> 0): the model, from the profile, too fast (errors < 0).
  if (reference_change && std::abs(*reference_change) > threshold)
    if (const auto main = alike({&idle, &check.busy_warm}, 2, *reference_change > 0 ? -1 : 1)) return MachineShift{*main, true};
  return std::nullopt;
}

std::vector<CheckedRequest> checked_requests(const RealServingResult& real, const ServiceTimeModel& service, int cores) {
  const std::size_t workers = real.served_log.size();
  // Each request's time on its core: from the later of its queuing and the core's previous end.
  std::vector<std::vector<Interval>> on_core(workers);
  for (std::size_t w = 0; w < workers; ++w) {
    double free_at = 0.0;
    for (const ServedRequest& r : real.served_log[w]) {
      on_core[w].push_back({std::max(r.queued, free_at), r.end});
      free_at = r.end;
    }
  }
  const bool contended = service.contended() && cores > 1;
  std::vector<CheckedRequest> out;
  for (std::size_t w = 0; w < workers; ++w) {
    CoreHistory history;
    for (std::size_t i = 0; i < real.served_log[w].size(); ++i) {
      const ServedRequest& r = real.served_log[w][i];
      const Interval& span = on_core[w][i];
      // Idle when it was queued after the core's previous request ended (as the simulated server's
      // rule: its core free before it arrived).
      const double previous_end = i > 0 ? real.served_log[w][i - 1].end : 0.0;
      const double idle_seconds = r.queued >= previous_end ? r.queued - previous_end : -1.0;
      // Tracked whatever the model applies (a model without these slowdowns gives 1), so that the
      // groups are the same for every profile.
      const HistorySlowdown slowdown = history.next(service, 0, r.items, idle_seconds);
      double factor = slowdown.factor();
      if (contended) {
        int busy = 0;
        for (std::size_t v = 0; v < workers; ++v)
          if (v != w && busy_at(on_core[v], span.begin)) ++busy;
        factor *= service.contention_factor(r.items, static_cast<double>(busy) / (cores - 1), cores);
      }
      out.push_back({r.query, r.items, r.queued, span.end - span.begin, service.mean_seconds(r.items) * factor, idle_seconds >= 0.0,
                     slowdown.cold_size});
    }
  }
  return out;
}

ServiceCheck check_service(const std::vector<CheckedRequest>& requests, std::uint64_t warmup_queries) {
  ServiceCheck check;
  // Indexed by CheckedRequest::group().
  ServiceCheckGroup* const by_group[] = {&check.busy_warm, &check.busy_cold, &check.idle_warm, &check.idle_cold};
  for (const CheckedRequest& r : requests) {
    if (r.query < warmup_queries) continue;
    ServiceCheckGroup& group = *by_group[r.group()];
    const double log_ratio = r.taken > 0 && r.model > 0 ? std::log(r.taken / r.model) : 0.0;
    const ServiceCheckGroup one{1, r.taken, r.model, log_ratio, log_ratio * log_ratio};
    check.all.add(one);
    group.add(one);
  }
  return check;
}

}  // namespace recsim
