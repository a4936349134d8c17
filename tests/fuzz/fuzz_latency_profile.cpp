// CPU and GPU latency profiles (recsim calibrate's output, a scenario's service.profile), and the
// curves a scenario takes from them.
#include "fuzz_support.h"
#include "kernels/profiles/latency_profile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = recsim::fuzz::write_input(data, size, ".json");
  recsim::fuzz::only_input_errors([&] {
    const recsim::LatencyProfile p = recsim::load_latency_profile(path);
    for (const auto& [name, model] : p.models) {
      (void)model;
      const recsim::LatencyCurve c = p.curve(name, "service.model");
      (void)c.seconds_at(1);
      (void)c.seconds_at(100000);
      if (auto k = p.kernel_curve(name)) (void)k->seconds_at(7);
      if (auto k = p.contention_curve(name)) (void)k->seconds_at(3);
    }
  });
  return 0;
}
