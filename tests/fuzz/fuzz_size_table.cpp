// Query-size tables (workload.query_size "empirical": size,weight lines) and the distribution built on them.
#include "fuzz_support.h"
#include "workloads/query_size_distribution.h"
#include "workloads/size_table_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = recsim::fuzz::write_input(data, size, ".csv");
  recsim::fuzz::only_input_errors([&] { (void)recsim::make_empirical_sizes(recsim::read_size_table(path))->mean(); });
  return 0;
}
