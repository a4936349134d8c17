#pragma once
// Replay of a key trace file: the embedding keys of one table in the order they were looked up,
// one per line (an optional header line such as "key", '#' comments and blank lines ignored), each
// an integer in [0, rows). next() returns them in order and starts again at the end. The exact
// distribution it reports (probability, key_of_rank) is the trace's empirical one.
//
// The trace is read once and shared (load_key_trace, by the scenario parser): every table and every
// GPU that replays it holds the same KeyTraceData and only a cursor of its own. It costs 8 bytes per lookup plus, per
// distinct key, its rank in a hash map, its count and two sorted copies (about kBytesPerDistinctKey):
// key traces are sampled, not the whole history of a service.
#include "workloads/key_generator.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace recsim {

struct KeyTraceData {
  static constexpr double kBytesPerDistinctKey = 80.0;  // rank map entry and bucket, count, two sorted copies

  std::string path;
  std::vector<std::uint64_t> keys;                         // in trace order
  std::vector<std::uint64_t> by_rank;                      // distinct keys, most frequent first (ties: smaller key first)
  std::vector<std::uint64_t> count_by_rank;                // lookups of each
  std::vector<std::uint64_t> touched;                      // distinct keys, in key order
  std::unordered_map<std::uint64_t, std::uint64_t> rank;   // distinct key -> its rank
  std::uint64_t max_key = 0;
  int max_key_line = 0;  // the first line holding it

  double bytes() const { return 8.0 * static_cast<double>(keys.size()) + kBytesPerDistinctKey * static_cast<double>(by_rank.size()); }
};

// Reads a key trace. Throws InputError naming "file:line" on a bad line, and the file when it holds
// no key.
std::shared_ptr<const KeyTraceData> load_key_trace(const std::string& path);

class TraceKeys final : public KeyGenerator {
 public:
  // Throws InputError naming "file:line" of a key outside [0, rows), besides load_key_trace's errors.
  TraceKeys(const std::string& path, std::uint64_t rows);
  TraceKeys(std::shared_ptr<const KeyTraceData> trace, std::uint64_t rows);
  std::uint64_t next(Rng& rng) override;
  double probability(std::uint64_t key) const override;
  std::uint64_t key_of_rank(std::uint64_t rank) const override;
  std::uint64_t rank_of(std::uint64_t key) const override;
  std::uint64_t rows() const override { return rows_; }
  std::size_t length() const { return trace_->keys.size(); }
  const KeyTraceData& trace() const { return *trace_; }

 private:
  std::shared_ptr<const KeyTraceData> trace_;
  std::uint64_t rows_;
  std::size_t position_ = 0;
};

}  // namespace recsim
