#pragma once
// The analytic (fast) mode of a GPU's embedding lookups (sim/ps/embedding_lookup.h), for sweeps where
// drawing every key is too slow: each table's cache in steady state by Che's approximation
// (sim/ps/che_approximation.h). Per query and table, the unique keys are the expected number for the
// batch (rounded at random to an integer with that mean), the hits a binomial draw at Che's hit rate
// per unique key, and the misses split over the tiers by a multinomial draw at Che's shares. Timing,
// the threshold's choice and the transfers are as in the key-level mode; the cold start after model
// load is not modelled (use the key-level mode for it), nor are online updates.
#include "sim/ps/che_approximation.h"
#include "sim/ps/embedding_lookup.h"
#include "workloads/random_stream.h"

#include <map>
#include <memory>
#include <vector>

namespace recsim {

class AnalyticLookup final : public EmbeddingLookup {
 public:
  AnalyticLookup(const EmbeddingCacheSpec& spec, std::uint64_t seed, std::uint32_t gpu_index);
  Query lookup(int items, bool measured) override;
  void insert(const TableFetch&, double) override {}
  TableFetch refresh_plan(std::size_t table) override;
  std::vector<double> refreshed(const TableFetch&, double, double) override { return {}; }
  void updated(std::size_t table, std::uint64_t key, double published, double written) override;
  // Che's estimate for a batch of `keys` lookups of table `table` (interpolated between grid points).
  CheModel::Batch estimate(std::size_t table, std::int64_t keys);

 private:
  struct Table {
    std::shared_ptr<const CheModel> model;
    std::map<std::int64_t, CheModel::Batch> grid;  // memo of the batch sizes asked
    int dim;
    int lookups;
    std::uint64_t refresh_keys;  // keys a refresh pass re-reads (the cache full, in steady state)
  };
  const CheModel::Batch& at_grid(Table& t, std::int64_t k);
  std::vector<Table> tables_;
  double threshold_;
  Rng rng_;
};

}  // namespace recsim
