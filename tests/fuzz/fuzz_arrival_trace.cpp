// Arrival traces (workload.arrival "trace": arrival_ms,size lines): validated, then replayed.
#include "fuzz_support.h"
#include "workloads/query_source.h"
#include "workloads/trace_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = recsim::fuzz::write_input(data, size, ".csv");
  recsim::fuzz::only_input_errors([&] {
    int largest = 0;
    double mean = 0, span = 0;
    const std::uint64_t rows = recsim::validate_trace(path, &largest, &mean, &span);
    auto source = recsim::make_trace_source(path);
    recsim::QueryArrival q;
    std::uint64_t replayed = 0;
    while (source->next(q)) ++replayed;
    if (replayed != rows) std::abort();
  });
  return 0;
}
