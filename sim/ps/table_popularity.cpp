#include "sim/ps/table_popularity.h"

#include "workloads/key_trace.h"

#include <algorithm>
#include <cmath>

namespace recsim {

void TablePopularity::count(std::uint64_t key, TierCounts& c) const {
  if (everything_volatile()) {
    ++c.volatile_keys;
    return;
  }
  const std::uint64_t rank = keys->rank_of(key);
  if (rank < volatile_ranks)
    ++c.volatile_keys;
  else if (rank < persistent_ranks)
    ++c.persistent_keys;
  else
    ++c.not_found;
}

std::vector<TablePopularity> table_popularities(const EmbeddingCacheSpec& spec, std::uint64_t seed) {
  std::vector<TablePopularity> tables;
  // Each model's tables their own permutations (stream_base: 0 for format 1's one model).
  std::uint64_t table_seed = seed * 1'000'003ULL + spec.stream_base;
  // One copy of a key trace for every table (each replays it with a cursor of its own).
  std::shared_ptr<const KeyTraceData> trace = spec.key_trace;
  if (!trace && !spec.key_trace_file.empty()) trace = load_key_trace(spec.key_trace_file);
  for (const auto& t : spec.tables) {
    const auto rows = static_cast<std::uint64_t>(t.rows);
    TablePopularity p;
    ++table_seed;
    if (trace)
      p.keys = std::make_unique<TraceKeys>(trace, rows);
    else if (spec.zipf_alpha > 0.0)
      p.keys = make_zipf_keys(rows, spec.zipf_alpha, table_seed);
    else
      p.keys = make_uniform_keys(rows);
    const auto ranks = [rows](double fraction) {
      return std::min(rows, static_cast<std::uint64_t>(std::ceil(fraction * static_cast<double>(rows))));
    };
    p.volatile_ranks = ranks(spec.volatile_fraction);
    p.persistent_ranks = std::max(p.volatile_ranks, spec.persistent ? ranks(spec.persistent->fraction) : 0);
    tables.push_back(std::move(p));
  }
  return tables;
}

}  // namespace recsim
