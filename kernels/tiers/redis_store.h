#pragma once
// The volatile tier as a remote Redis (HPS's Redis cluster backend, one node here): one string
// value per key, a batch read with one MGET (pipelined in a single round trip), filled with
// pipelined SETs, updated with one MSET per write batch. Reached with hiredis over TCP on loopback.
#include "kernels/tiers/embedding_store.h"

struct redisContext;

namespace recsim {

class RedisStore final : public EmbeddingStore {
 public:
  RedisStore(const std::string& host, int port);
  ~RedisStore() override;
  RedisStore(const RedisStore&) = delete;
  RedisStore& operator=(const RedisStore&) = delete;
  void fill(std::uint64_t rows, int dim) override;
  void lookup(std::span<const std::uint64_t> keys, float* out) override;
  void write(std::span<const std::uint64_t> keys, const float* values) override;
  std::string description() const override;

 private:
  redisContext* context_ = nullptr;
  std::string server_version_;
  int dim_ = 0;
};

}  // namespace recsim
