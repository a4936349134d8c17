#include "kernels/tiers/rocksdb_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/version.h>
#include <rocksdb/write_batch.h>

#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace recsim {
namespace {

void check(const rocksdb::Status& s, const std::string& what) {
  if (!s.ok()) throw std::runtime_error("rocksdb " + what + ": " + s.ToString());
}

std::string key_bytes(std::uint64_t key) {
  std::string k(8, '\0');
  for (int i = 0; i < 8; ++i) k[static_cast<std::size_t>(i)] = static_cast<char>(key >> (56 - 8 * i));
  return k;
}

}  // namespace

RocksDbStore::RocksDbStore(std::string directory) : directory_(std::move(directory)) {}

RocksDbStore::~RocksDbStore() = default;

void RocksDbStore::open(bool fresh) {
  db_.reset();
  if (fresh) {
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.OptimizeForPointLookup(64);  // block cache of 64 MiB, hash index
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::DB* db = nullptr;
  check(rocksdb::DB::Open(options, directory_, &db), "open " + directory_);
  db_.reset(db);
}

void RocksDbStore::fill(std::uint64_t rows, int dim) {
  dim_ = dim;
  open(true);
  std::vector<float> v(static_cast<std::size_t>(dim));
  rocksdb::WriteBatch batch;
  for (std::uint64_t k = 0; k < rows; ++k) {
    vector_of(k, dim, v.data());
    batch.Put(key_bytes(k), rocksdb::Slice(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)));
    if (batch.Count() == 4096 || k + 1 == rows) {
      check(db_->Write(rocksdb::WriteOptions(), &batch), "write");
      batch.Clear();
    }
  }
  // Flushed and compacted into table files on disk, then reopened: lookups read the files.
  check(db_->Flush(rocksdb::FlushOptions()), "flush");
  check(db_->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr), "compact");
  open(false);
}

void RocksDbStore::lookup(std::span<const std::uint64_t> keys, float* out) {
  std::vector<std::string> key_storage;
  key_storage.reserve(keys.size());
  for (const auto k : keys) key_storage.push_back(key_bytes(k));
  std::vector<rocksdb::Slice> slices(key_storage.begin(), key_storage.end());
  std::vector<std::string> values;
  const auto statuses = db_->MultiGet(rocksdb::ReadOptions(), slices, &values);
  const auto bytes = static_cast<std::size_t>(dim_) * sizeof(float);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    check(statuses[i], "get " + std::to_string(keys[i]));
    if (values[i].size() != bytes) throw std::runtime_error("rocksdb: vector of the wrong size");
    std::memcpy(out + i * static_cast<std::size_t>(dim_), values[i].data(), bytes);
  }
}

void RocksDbStore::write(std::span<const std::uint64_t> keys, const float* values) {
  // One WriteBatch per update batch, through the write-ahead log as an online update would be.
  rocksdb::WriteBatch batch;
  const auto bytes = static_cast<std::size_t>(dim_) * sizeof(float);
  for (std::size_t i = 0; i < keys.size(); ++i)
    batch.Put(key_bytes(keys[i]), rocksdb::Slice(reinterpret_cast<const char*>(values + i * static_cast<std::size_t>(dim_)), bytes));
  check(db_->Write(rocksdb::WriteOptions(), &batch), "write");
}

std::string RocksDbStore::description() const {
  return "RocksDB " + std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) + "." +
         std::to_string(ROCKSDB_PATCH) + " on local disk (" + directory_ + "), MultiGet, bloom filters, 64 MiB block cache";
}

}  // namespace recsim
