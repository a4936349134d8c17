#pragma once
// The key-level mode of a GPU's embedding lookups (sim/ps/embedding_lookup.h): one HpsTable per
// embedding table (sim/ps/hps_table.h), every key drawn from the table's popularity and looked up in
// the set-associative cache; each miss is attributed to the tier that holds it
// (sim/ps/table_popularity.h). Exact counts, cold start included; about 0.1 µs per key.
#include "sim/ps/embedding_lookup.h"
#include "sim/ps/hps_table.h"
#include "sim/ps/table_popularity.h"
#include "workloads/random_stream.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace recsim {

class KeyLevelLookup final : public EmbeddingLookup {
 public:
  KeyLevelLookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index);
  Query lookup(int items, bool measured) override;
  void insert(const TableFetch& fetch, double read_at) override;
  TableFetch refresh_plan(std::size_t table) override;
  std::vector<double> refreshed(const TableFetch& fetch, double read_at, double now) override;
  void updated(std::size_t table, std::uint64_t key, double published, double written) override;

 private:
  struct Table {
    std::unique_ptr<HpsTable> table;
    int dim;
    int lookups;
  };
  std::vector<TablePopularity> popularity_;
  std::vector<Table> tables_;
  Rng rng_;
  std::vector<std::uint64_t> batch_;
};

}  // namespace recsim
