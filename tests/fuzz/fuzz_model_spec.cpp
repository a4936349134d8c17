// Model definition files (kernels/models/, a scenario's service.model_file) and what the simulator
// and the analytic GPU model derive from them.
#include "fuzz_support.h"
#include "kernels/model/model_spec.h"
#include "workloads/strict_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  recsim::fuzz::only_input_errors([&] {
    const recsim::ModelSpec m = recsim::parse_model_spec(recsim::parse_json_strict(text, "model.json"), "model.json: ");
    (void)m.expanded_tables();
    (void)m.input_bytes_per_item();
    (void)m.output_bytes_per_item();
    (void)m.flops_per_item();
    (void)m.table_bytes();
    (void)m.lookups_per_item();
  });
  return 0;
}
