#include "workloads/key_trace.h"

#include "workloads/csv_fields.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <fstream>

namespace recsim {

TraceKeys::TraceKeys(const std::string& path, std::uint64_t rows) : rows_(rows) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the key trace file");
  std::string line;
  int number = 0;
  bool seen_line = false;  // a data line or the header: no header after it
  while (std::getline(in, line)) {
    ++number;
    csv::strip_bom(line, number);
    const auto f = csv::fields(line);
    if (f.empty()) continue;
    long long key = 0;
    if (f.size() != 1 || !csv::parse_int(f[0], key)) {
      if (keys_.empty() && !seen_line && f.size() == 1 && csv::is_header(f)) {  // a header such as "key"
        seen_line = true;
        continue;
      }
      throw InputError(path + ":" + std::to_string(number), "expected one key per line (an integer)");
    }
    seen_line = true;
    if (key < 0 || static_cast<unsigned long long>(key) >= rows)
      throw InputError(path + ":" + std::to_string(number),
                       "key " + std::to_string(key) + " is outside the table's rows [0, " + std::to_string(rows) + ")");
    keys_.push_back(static_cast<std::uint64_t>(key));
    ++counts_[static_cast<std::uint64_t>(key)];
  }
  if (keys_.empty()) throw InputError(path, "the key trace holds no key");
  for (const auto& [key, count] : counts_) by_rank_.push_back(key);
  std::sort(by_rank_.begin(), by_rank_.end(), [this](std::uint64_t a, std::uint64_t b) {
    const auto ca = counts_.at(a), cb = counts_.at(b);
    return ca != cb ? ca > cb : a < b;
  });
  touched_ = by_rank_;
  std::sort(touched_.begin(), touched_.end());
  for (std::uint64_t r = 0; r < by_rank_.size(); ++r) rank_.emplace(by_rank_[r], r);
}

std::uint64_t TraceKeys::next(Rng&) {
  const std::uint64_t key = keys_[position_];
  position_ = position_ + 1 == keys_.size() ? 0 : position_ + 1;
  return key;
}

double TraceKeys::probability(std::uint64_t key) const {
  const auto it = counts_.find(key);
  return it == counts_.end() ? 0.0 : static_cast<double>(it->second) / static_cast<double>(keys_.size());
}

std::uint64_t TraceKeys::key_of_rank(std::uint64_t rank) const {
  // Keys the trace never touches come after its distinct keys, in key order.
  if (rank < by_rank_.size()) return by_rank_[rank];
  // The j-th untouched key is j + i, i the number of touched keys below it: the first i with
  // touched_[i] - i > j (touched_[i] - i never decreases, so a binary search finds it).
  const std::uint64_t j = rank - by_rank_.size();
  std::size_t lo = 0, hi = touched_.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (touched_[mid] - mid > j)
      hi = mid;
    else
      lo = mid + 1;
  }
  return std::min<std::uint64_t>(j + lo, rows_ - 1);
}

std::uint64_t TraceKeys::rank_of(std::uint64_t key) const {
  if (const auto it = rank_.find(key); it != rank_.end()) return it->second;
  // An untouched key comes after the distinct keys, behind the untouched keys below it.
  const auto touched_below = static_cast<std::uint64_t>(std::lower_bound(touched_.begin(), touched_.end(), key) - touched_.begin());
  return by_rank_.size() + key - touched_below;
}

}  // namespace recsim
