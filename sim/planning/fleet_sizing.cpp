#include "sim/planning/fleet_sizing.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace recsim {

std::vector<PoolSize> size_pool(double target_qps, const std::vector<KindOffer>& offers) {
  int primary = -1;
  for (std::size_t k = 0; k < offers.size(); ++k) {
    if (!(offers[k].capacity_qps > 0)) continue;
    if (primary < 0 || offers[k].objective / offers[k].capacity_qps <
                           offers[static_cast<std::size_t>(primary)].objective / offers[static_cast<std::size_t>(primary)].capacity_qps)
      primary = static_cast<int>(k);
  }
  if (primary < 0) throw std::runtime_error("no server kind serves the model within its SLA");
  const KindOffer& p = offers[static_cast<std::size_t>(primary)];
  if (!(target_qps > 0)) return {};
  // A relative 1e-9 guards against ceil(3.0000000001) from rounding.
  int full = static_cast<int>(std::floor(target_qps / p.capacity_qps * (1 + 1e-12)));
  const double remainder = target_qps - full * p.capacity_qps;
  if (remainder <= 1e-9 * target_qps) return {{p.kind, full}};
  // Cover the remainder: one more primary, or servers of one other kind.
  double best = p.objective;
  int best_kind = primary, best_count = 1;
  for (std::size_t k = 0; k < offers.size(); ++k) {
    if (static_cast<int>(k) == primary || !(offers[k].capacity_qps > 0)) continue;
    const int count = static_cast<int>(std::ceil(remainder / offers[k].capacity_qps));
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
