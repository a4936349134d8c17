// Published GPU figures (kernels/gpus/, recsim calibrate --analytic FILE).
#include "fuzz_support.h"
#include "kernels/analytic/gpu_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = recsim::fuzz::write_input(data, size, ".json");
  recsim::fuzz::only_input_errors([&] { (void)recsim::load_gpu_spec(path); });
  return 0;
}
