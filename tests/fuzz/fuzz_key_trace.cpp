// Key traces (embedding_cache.keys "trace": one key per line), against a table of 1,000 rows: the
// keys' empirical distribution both ways (rank of a key, key of a rank).
#include "fuzz_support.h"
#include "workloads/key_trace.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = recsim::fuzz::write_input(data, size, ".csv");
  recsim::fuzz::only_input_errors([&] {
    const recsim::TraceKeys keys(path, 1000);
    for (std::uint64_t r = 0; r < 1000; ++r)
      if (keys.rank_of(keys.key_of_rank(r)) != r) std::abort();
  });
  return 0;
}
