#pragma once
// The sweep's aggregated table: one row per point, in point order, with the point's index, its axis
// values as columns, its repetition (with "repetitions"), the seed, the status ("done" or
// "missing"), the store key and the command's headline figures (docs/sweeps.md lists them):
//   run       saturated, throughput_qps, p50_ms, p95_ms, p99_ms, sla_observed_ms, sla_met, cpu, gpu
//   capacity  max_qps, found, missed_qps, evaluations
//   tune      best_batch_size, best_gpu_threshold, best_max_qps, baseline_batch_size, baseline_max_qps, evaluations
//   plan      target_qps, servers, objective_total, verified, within_sla (of the last target's fleet)
#include "sim/metrics/csv_table.h"
#include "sim/sweep/sweep_spec.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace recsim {

struct SweepRow {
  std::string key;
  std::optional<nlohmann::ordered_json> point;  // the store's point file, nullopt when missing
};

// One JSON object per row (the JSON Lines file's lines), columns in the order above.
std::vector<nlohmann::ordered_json> sweep_table(const SweepSpec& spec, const std::vector<SweepRow>& rows);

std::string table_jsonl(const std::vector<nlohmann::ordered_json>& table);

}  // namespace recsim
