// target_utilization: as Kubernetes' horizontal autoscaler decides, servers for the recent work at a
// target utilisation, scaling out at once and in only to the most it wanted over a stabilisation
// window (so a dip does not drain servers the next peak needs).
#include "sim/scaling/scaling_registry.h"

#include <cmath>
#include <deque>
#include <utility>

namespace recsim {
namespace {

class TargetUtilization final : public ScalingRule {
 public:
  TargetUtilization(double target, double window_s) : target_(target), window_s_(window_s) {}
  int desired(const ScalingInput& in) override {
    const int raw = std::max(in.min, static_cast<int>(std::ceil(in.demand / target_ - 1e-9)));
    recent_.emplace_back(in.now, raw);
    while (!recent_.empty() && recent_.front().first < in.now - window_s_) recent_.pop_front();
    int most = raw;
    for (const auto& [t, n] : recent_) most = std::max(most, n);
    return most;
  }

 private:
  double target_, window_s_;
  std::deque<std::pair<double, int>> recent_;
};

}  // namespace

ScalingKind target_utilization_scaling() {
  KeyVariant keys{"target_utilization",
                  "each interval, ceil(the group's recent work in servers' worth / `target`) servers: out at once, in only to the most "
                  "wanted over the last `scale_down_delay_s` (Kubernetes' horizontal autoscaler's rule and stabilisation window)",
                  {{.name = "target", .lo = 0.0, .hi = 1.0, .lo_open = true, .help = "the utilisation it keeps the group's servers at"},
                   {.name = "scale_down_delay_s", .required = false, .lo = 0.0, .hi = 1e9, .fallback = 300.0, .unit = "s",
                    .help = "how long a lower need must last before servers are drained"}},
                  {}};
  return {keys, [](JsonReader& a, const KeyVariant& k, const Fleet&, AutoscalingSpec& spec) {
            const double target = read_number(a, k.key("target"));
            const double window = read_number(a, k.key("scale_down_delay_s"));
            spec.make = [target, window](const ScaledGroup&) { return std::make_unique<TargetUtilization>(target, window); };
          }};
}

}  // namespace recsim
