#pragma once
// One tier of the embedding parameter server as a real component: a store of embedding vectors
// (float32, `dim` per key) that answers batched lookups. The tier calibration
// (kernels/calibration/tier_calibrator.h) times these; the simulator gets the times through a tier
// profile, never the stores themselves.
#include <cstdint>
#include <span>
#include <string>

namespace recsim {

class EmbeddingStore {
 public:
  virtual ~EmbeddingStore() = default;
  // Stores vectors for keys [0, rows): key k's vector is `vector_of(k, dim)`.
  virtual void fill(std::uint64_t rows, int dim) = 0;
  // Copies the vectors of `keys` into `out` (keys.size() × dim floats, in order). A key not stored
  // is an error (std::runtime_error): the calibration asks only for stored keys.
  virtual void lookup(std::span<const std::uint64_t> keys, float* out) = 0;
  // Writes the vectors of `keys` (keys.size() × dim floats, in order), inserting or overwriting: an
  // online model update applied to the tier.
  virtual void write(std::span<const std::uint64_t> keys, const float* values) = 0;
  // The component and its version, for the profile's provenance.
  virtual std::string description() const = 0;
};

// The deterministic content of key k's vector (so lookups can be checked).
void vector_of(std::uint64_t key, int dim, float* out);

}  // namespace recsim
