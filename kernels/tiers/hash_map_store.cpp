#include "kernels/tiers/hash_map_store.h"

#include <absl/base/config.h>

#include <cstring>
#include <stdexcept>

namespace recsim {

void vector_of(std::uint64_t key, int dim, float* out) {
  for (int i = 0; i < dim; ++i) out[i] = static_cast<float>(key % 1000) + 0.001f * static_cast<float>(i);
}

void HashMapStore::fill(std::uint64_t rows, int dim) {
  dim_ = dim;
  index_.clear();
  index_.reserve(rows);
  arena_.assign(rows * static_cast<std::uint64_t>(dim), 0.0f);
  for (std::uint64_t k = 0; k < rows; ++k) {
    index_.emplace(k, static_cast<std::uint32_t>(k));
    vector_of(k, dim, arena_.data() + k * static_cast<std::uint64_t>(dim));
  }
}

void HashMapStore::lookup(std::span<const std::uint64_t> keys, float* out) {
  const auto bytes = static_cast<std::size_t>(dim_) * sizeof(float);
  for (const std::uint64_t key : keys) {
    const auto it = index_.find(key);
    if (it == index_.end()) throw std::runtime_error("hash map: key " + std::to_string(key) + " not stored");
    std::memcpy(out, arena_.data() + static_cast<std::uint64_t>(it->second) * static_cast<std::uint64_t>(dim_), bytes);
    out += dim_;
  }
}

void HashMapStore::write(std::span<const std::uint64_t> keys, const float* values) {
  const auto d = static_cast<std::uint64_t>(dim_);
  for (const std::uint64_t key : keys) {
    // A new key gets the next vector of the arena; an existing one is overwritten in place.
    const auto [it, inserted] = index_.try_emplace(key, static_cast<std::uint32_t>(arena_.size() / d));
    if (inserted) arena_.resize(arena_.size() + d);
    std::memcpy(arena_.data() + static_cast<std::uint64_t>(it->second) * d, values, d * sizeof(float));
    values += dim_;
  }
}

std::string HashMapStore::description() const {
  return "abseil flat_hash_map (LTS " + std::to_string(ABSL_LTS_RELEASE_VERSION) + ") in process memory";
}

}  // namespace recsim
