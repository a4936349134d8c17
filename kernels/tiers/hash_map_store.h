#pragma once
// The volatile tier in host memory: abseil's flat_hash_map (Swiss table) from key to a row of a
// contiguous float arena, as HPS's hash-map backend keeps vectors apart from its index.
#include "kernels/tiers/embedding_store.h"

#include <absl/container/flat_hash_map.h>

#include <vector>

namespace recsim {

class HashMapStore final : public EmbeddingStore {
 public:
  void fill(std::uint64_t rows, int dim) override;
  void lookup(std::span<const std::uint64_t> keys, float* out) override;
  void write(std::span<const std::uint64_t> keys, const float* values) override;
  std::string description() const override;

 private:
  absl::flat_hash_map<std::uint64_t, std::uint32_t> index_;
  std::vector<float> arena_;
  int dim_ = 0;
};

}  // namespace recsim
