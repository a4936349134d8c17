#pragma once
// The persistent tier: RocksDB on the local disk (a directory the caller owns), point-lookup
// options as HPS sets them (a bloom filter per table file, MultiGet for a batch), one 8-byte
// big-endian key per vector.
#include "kernels/tiers/embedding_store.h"

#include <memory>
#include <string>

namespace rocksdb {
class DB;
}

namespace recsim {

class RocksDbStore final : public EmbeddingStore {
 public:
  explicit RocksDbStore(std::string directory);
  ~RocksDbStore() override;
  void fill(std::uint64_t rows, int dim) override;
  void lookup(std::span<const std::uint64_t> keys, float* out) override;
  void write(std::span<const std::uint64_t> keys, const float* values) override;
  std::string description() const override;

 private:
  void open(bool fresh);
  std::string directory_;
  std::unique_ptr<rocksdb::DB> db_;
  int dim_ = 0;
};

}  // namespace recsim
