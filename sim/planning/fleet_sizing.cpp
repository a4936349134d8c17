#include "sim/planning/fleet_sizing.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

namespace recsim {

namespace {

[[noreturn]] void throw_too_many(double target_qps, const KindOffer& p) {
  char text[200];
  std::snprintf(text, sizeof text, "%.6g qps at %.6g qps per %s server needs more than %.0f servers, the most a fleet may have",
                target_qps, p.capacity_qps, p.kind.c_str(), kMaxPoolServers);
  throw PoolSizingError(text);
}

}  // namespace

std::vector<PoolSize> size_pool(double target_qps, const std::vector<KindOffer>& offers) {
  int primary = -1;
  for (std::size_t k = 0; k < offers.size(); ++k) {
    if (!(offers[k].capacity_qps > 0)) continue;
    if (primary < 0 || offers[k].objective / offers[k].capacity_qps <
                           offers[static_cast<std::size_t>(primary)].objective / offers[static_cast<std::size_t>(primary)].capacity_qps)
      primary = static_cast<int>(k);
  }
  if (primary < 0) throw PoolSizingError("no server kind serves the model within its SLA");
  const KindOffer& p = offers[static_cast<std::size_t>(primary)];
  if (!(target_qps > 0)) return {};
  // A relative 1e-9 guards against ceil(3.0000000001) from rounding. More servers than a scenario
  // may hold is refused before any count is converted to an integer.
  const double servers = std::floor(target_qps / p.capacity_qps * (1 + 1e-12));
  if (servers + 1 > kMaxPoolServers) throw_too_many(target_qps, p);
  const int full = static_cast<int>(servers);
  const double remainder = target_qps - full * p.capacity_qps;
  if (remainder <= 1e-9 * target_qps) return {{p.kind, full}};
  // Cover the remainder: one more primary, or servers of one other kind.
  double best = p.objective;
  int best_kind = primary, best_count = 1;
  for (std::size_t k = 0; k < offers.size(); ++k) {
    if (static_cast<int>(k) == primary || !(offers[k].capacity_qps > 0)) continue;
    const double needed = std::ceil(remainder / offers[k].capacity_qps);
    if (needed > kMaxPoolServers) continue;  // never cheaper than the primary's one more server
    const int count = static_cast<int>(needed);
    if (count * offers[k].objective < best) {
      best = count * offers[k].objective;
      best_kind = static_cast<int>(k);
      best_count = count;
    }
  }
  if (best_kind == primary) return {{p.kind, full + 1}};
  std::vector<PoolSize> pools;
  if (full > 0) pools.push_back({p.kind, full});
  pools.push_back({offers[static_cast<std::size_t>(best_kind)].kind, best_count});
  return pools;
}

}  // namespace recsim
