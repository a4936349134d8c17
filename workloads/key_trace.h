#pragma once
// Replay of a key trace file: the embedding keys of one table in the order they were looked up,
// one per line (an optional header line such as "key", '#' comments and blank lines ignored), each
// an integer in [0, rows). next() returns them in order and starts again at the end. The exact
// distribution it reports (probability, key_of_rank) is the trace's empirical one.
//
// The trace is held in memory (8 bytes per lookup, plus per distinct key its count, its rank and two
// sorted copies, about 100 bytes): key traces
// are sampled, not the whole history of a service.
#include "workloads/key_generator.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace recsim {

class TraceKeys final : public KeyGenerator {
 public:
  // Throws InputError naming "file:line" on a bad line, and the file when it holds no key.
  TraceKeys(const std::string& path, std::uint64_t rows);
  std::uint64_t next(Rng& rng) override;
  double probability(std::uint64_t key) const override;
  std::uint64_t key_of_rank(std::uint64_t rank) const override;
  std::uint64_t rank_of(std::uint64_t key) const override;
  std::uint64_t rows() const override { return rows_; }
  std::size_t length() const { return keys_.size(); }

 private:
  std::uint64_t rows_;
  std::vector<std::uint64_t> keys_;
  std::size_t position_ = 0;
  std::unordered_map<std::uint64_t, std::uint64_t> counts_;
  std::vector<std::uint64_t> by_rank_;  // distinct keys, most frequent first (ties: smaller key first)
  std::vector<std::uint64_t> touched_;  // distinct keys, in key order
  std::unordered_map<std::uint64_t, std::uint64_t> rank_;  // distinct key -> its rank
};

}  // namespace recsim
