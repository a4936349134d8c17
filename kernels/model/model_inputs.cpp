#include "kernels/model/model_inputs.h"

#include "workloads/key_generator.h"

#include <boost/random/uniform_real_distribution.hpp>

namespace recsim {

ModelInputs make_model_inputs(const ModelWeights& w, int batch, const KeyPopularity& keys, Rng& rng) {
  ModelInputs in;
  in.batch = batch;
  in.dense.resize(static_cast<std::size_t>(batch) * w.spec.dense_features);
  boost::random::uniform_real_distribution<float> u(-1.0f, 1.0f);
  for (auto& x : in.dense) x = u(rng);
  std::uint64_t permutation_seed = 1;
  for (const auto& t : w.tables) {
    auto gen = keys.kind == KeyPopularity::Kind::uniform ? make_uniform_keys(t.rows)
                                                         : make_zipf_keys(t.rows, keys.alpha, permutation_seed++);
    std::vector<std::int32_t> idx(static_cast<std::size_t>(batch) * t.lookups);
    for (auto& k : idx) k = static_cast<std::int32_t>(gen->next(rng));
    in.indices.push_back(std::move(idx));
  }
  return in;
}

}  // namespace recsim
