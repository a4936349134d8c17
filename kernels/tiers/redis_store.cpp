#include "kernels/tiers/redis_store.h"

#include <hiredis/hiredis.h>

#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace recsim {
namespace {

std::string key_name(std::uint64_t key, int dim) {
  char buf[48];
  const int n = std::snprintf(buf, sizeof buf, "e%d:%llu", dim, static_cast<unsigned long long>(key));
  return std::string(buf, static_cast<std::size_t>(n));
}

struct Reply {
  redisReply* r;
  explicit Reply(void* p) : r(static_cast<redisReply*>(p)) {}
  ~Reply() {
    if (r) freeReplyObject(r);
  }
};

// One command of binary-safe arguments; the reply (null on a connection error).
void* command(redisContext* context, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lens.data());
}

}  // namespace

RedisStore::RedisStore(const std::string& host, int port) {
  context_ = redisConnect(host.c_str(), port);
  if (!context_ || context_->err) {
    const std::string why = context_ ? context_->errstr : "out of memory";
    if (context_) redisFree(context_);
    context_ = nullptr;
    throw std::runtime_error("redis: cannot connect to " + host + ":" + std::to_string(port) + ": " + why);
  }
  Reply info(redisCommand(context_, "INFO server"));
  if (info.r && info.r->type == REDIS_REPLY_STRING) {
    const std::string text(info.r->str, info.r->len);
    const auto at = text.find("redis_version:");
    if (at != std::string::npos) server_version_ = text.substr(at + 14, text.find('\r', at) - at - 14);
  }
}

RedisStore::~RedisStore() {
  if (context_) redisFree(context_);
}

void RedisStore::fill(std::uint64_t rows, int dim) {
  dim_ = dim;
  std::vector<float> v(static_cast<std::size_t>(dim));
  const std::size_t bytes = v.size() * sizeof(float);
  std::uint64_t pending = 0;
  auto drain = [&] {
    for (; pending > 0; --pending) {
      void* p = nullptr;
      if (redisGetReply(context_, &p) != REDIS_OK) throw std::runtime_error(std::string("redis: ") + context_->errstr);
      Reply reply(p);
      if (reply.r->type == REDIS_REPLY_ERROR) throw std::runtime_error("redis SET: " + std::string(reply.r->str));
    }
  };
  for (std::uint64_t k = 0; k < rows; ++k) {
    vector_of(k, dim, v.data());
    const std::string name = key_name(k, dim);
    redisAppendCommand(context_, "SET %b %b", name.data(), name.size(), v.data(), bytes);
    if (++pending == 1024) drain();
  }
  drain();
}

void RedisStore::lookup(std::span<const std::uint64_t> keys, float* out) {
  std::vector<std::string> names;
  names.reserve(keys.size() + 1);
  names.emplace_back("MGET");
  for (const auto k : keys) names.push_back(key_name(k, dim_));
  Reply reply(command(context_, names));
  if (!reply.r) throw std::runtime_error(std::string("redis MGET: ") + context_->errstr);
  if (reply.r->type != REDIS_REPLY_ARRAY || reply.r->elements != keys.size())
    throw std::runtime_error("redis MGET: unexpected reply");
  const std::size_t bytes = static_cast<std::size_t>(dim_) * sizeof(float);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const redisReply* e = reply.r->element[i];
    if (e->type != REDIS_REPLY_STRING || e->len != bytes)
      throw std::runtime_error("redis: key " + std::to_string(keys[i]) + " not stored");
    std::memcpy(out + i * static_cast<std::size_t>(dim_), e->str, bytes);
  }
}

void RedisStore::write(std::span<const std::uint64_t> keys, const float* values) {
  // One MSET per update batch.
  std::vector<std::string> args;
  args.reserve(2 * keys.size() + 1);
  args.emplace_back("MSET");
  const std::size_t bytes = static_cast<std::size_t>(dim_) * sizeof(float);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    args.push_back(key_name(keys[i], dim_));
    args.emplace_back(reinterpret_cast<const char*>(values + i * static_cast<std::size_t>(dim_)), bytes);
  }
  Reply reply(command(context_, args));
  if (!reply.r) throw std::runtime_error(std::string("redis MSET: ") + context_->errstr);
  if (reply.r->type == REDIS_REPLY_ERROR) throw std::runtime_error("redis MSET: " + std::string(reply.r->str));
}

std::string RedisStore::description() const {
  return "redis-server " + (server_version_.empty() ? std::string("(version unknown)") : server_version_) +
         " on loopback TCP, hiredis " + std::to_string(HIREDIS_MAJOR) + "." + std::to_string(HIREDIS_MINOR) + "." +
         std::to_string(HIREDIS_PATCH) + ", one MGET per lookup batch, one MSET per write batch";
}

}  // namespace recsim
