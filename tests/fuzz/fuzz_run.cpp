// libFuzzer target: the run itself (run_level.h): parse, estimate, then a short run or capacity
// search in a child process under a 10 s wall budget. The child's coverage is not the fuzzer's
// (SimGrid runs once per process), so it is guided by the parser's and estimate's branches; the
// seeds are every shipped scenario, so every run path (format 1 and 2, GPUs, the parameter server,
// traces, the online policy) is reached.
#include "fuzz_support.h"
#include "run_level.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  recsim::fuzz::run_level(std::string(reinterpret_cast<const char*>(data), size), 10.0);
  return 0;
}
