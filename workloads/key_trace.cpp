#include "workloads/key_trace.h"

#include "workloads/csv_fields.h"
#include "workloads/input_error.h"

#include <algorithm>
#include <fstream>

namespace recsim {
namespace {

std::shared_ptr<KeyTraceData> read_key_trace(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "cannot open the key trace file");
  auto t = std::make_shared<KeyTraceData>();
  t->path = path;
  std::unordered_map<std::uint64_t, std::uint64_t> counts;
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
      if (t->keys.empty() && !seen_line && f.size() == 1 && csv::is_header(f)) {  // a header such as "key"
        seen_line = true;
        continue;
      }
      throw InputError(path + ":" + std::to_string(number), "expected one key per line (an integer)");
    }
    seen_line = true;
    if (key < 0) throw InputError(path + ":" + std::to_string(number), "key " + std::to_string(key) + " is negative");
    const auto k = static_cast<std::uint64_t>(key);
    if (t->keys.empty() || k > t->max_key) {
      t->max_key = k;
      t->max_key_line = number;
    }
    t->keys.push_back(k);
    ++counts[k];
  }
  if (t->keys.empty()) throw InputError(path, "the key trace holds no key");
  t->by_rank.reserve(counts.size());
  for (const auto& [key, count] : counts) t->by_rank.push_back(key);
  std::sort(t->by_rank.begin(), t->by_rank.end(), [&counts](std::uint64_t a, std::uint64_t b) {
    const auto ca = counts.at(a), cb = counts.at(b);
    return ca != cb ? ca > cb : a < b;
  });
  t->count_by_rank.reserve(t->by_rank.size());
  t->rank.reserve(t->by_rank.size());
  for (std::uint64_t r = 0; r < t->by_rank.size(); ++r) {
    t->count_by_rank.push_back(counts.at(t->by_rank[r]));
    t->rank.emplace(t->by_rank[r], r);
  }
  t->touched = t->by_rank;
  std::sort(t->touched.begin(), t->touched.end());
  return t;
}

}  // namespace

std::shared_ptr<const KeyTraceData> load_key_trace(const std::string& path) { return read_key_trace(path); }

TraceKeys::TraceKeys(const std::string& path, std::uint64_t rows) : TraceKeys(load_key_trace(path), rows) {}

TraceKeys::TraceKeys(std::shared_ptr<const KeyTraceData> trace, std::uint64_t rows) : trace_(std::move(trace)), rows_(rows) {
  if (trace_->max_key >= rows)
    throw InputError(trace_->path + ":" + std::to_string(trace_->max_key_line),
                     "key " + std::to_string(trace_->max_key) + " is outside the table's rows [0, " + std::to_string(rows) + ")");
}

std::uint64_t TraceKeys::next(Rng&) {
  const std::uint64_t key = trace_->keys[position_];
  position_ = position_ + 1 == trace_->keys.size() ? 0 : position_ + 1;
  return key;
}

double TraceKeys::probability(std::uint64_t key) const {
  const auto it = trace_->rank.find(key);
  return it == trace_->rank.end() ? 0.0
                                  : static_cast<double>(trace_->count_by_rank[it->second]) / static_cast<double>(trace_->keys.size());
}

std::uint64_t TraceKeys::key_of_rank(std::uint64_t rank) const {
  const auto& by_rank = trace_->by_rank;
  const auto& touched = trace_->touched;
  // Keys the trace never touches come after its distinct keys, in key order.
  if (rank < by_rank.size()) return by_rank[rank];
  // The j-th untouched key is j + i, i the number of touched keys below it: the first i with
  // touched[i] - i > j (touched[i] - i never decreases, so a binary search finds it).
  const std::uint64_t j = rank - by_rank.size();
  std::size_t lo = 0, hi = touched.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (touched[mid] - mid > j)
      hi = mid;
    else
      lo = mid + 1;
  }
  return std::min<std::uint64_t>(j + lo, rows_ - 1);
}

std::uint64_t TraceKeys::rank_of(std::uint64_t key) const {
  if (const auto it = trace_->rank.find(key); it != trace_->rank.end()) return it->second;
  // An untouched key comes after the distinct keys, behind the untouched keys below it.
  const auto& touched = trace_->touched;
  const auto touched_below = static_cast<std::uint64_t>(std::lower_bound(touched.begin(), touched.end(), key) - touched.begin());
  return trace_->by_rank.size() + key - touched_below;
}

}  // namespace recsim
