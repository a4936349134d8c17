#include "sim/sweep/sweep_table.h"

#include <cstdio>

namespace recsim {
namespace {

using ojson = nlohmann::ordered_json;

// j at a "/"-separated pointer, or null.
ojson at(const ojson& j, const char* pointer) {
  const auto p = ojson::json_pointer(pointer);
  return j.contains(p) ? j[p] : ojson(nullptr);
}

void add_figures(const std::string& command, const ojson& result, ojson& row) {
  if (command == "run") {
    row["saturated"] = at(result, "/saturated");
    row["throughput_qps"] = at(result, "/throughput_qps");
    row["p50_ms"] = at(result, "/latency_ms/p50");
    row["p95_ms"] = at(result, "/latency_ms/p95");
    row["p99_ms"] = at(result, "/latency_ms/p99");
    row["sla_observed_ms"] = at(result, "/sla/observed_ms");
    row["sla_met"] = at(result, "/sla/met");
    row["cpu"] = at(result, "/utilization/cpu");
    row["gpu"] = at(result, "/utilization/gpu");
  } else if (command == "plan") {
    // The last target's fleet (the largest, for a growth series).
    const ojson fleets = at(result, "/fleets");
    const ojson last = fleets.is_array() && !fleets.empty() ? fleets.back() : ojson(nullptr);
    const auto of_last = [&last](const char* pointer) { return last.is_null() ? ojson(nullptr) : at(last, pointer); };
    row["target_qps"] = of_last("/target_qps");
    row["servers"] = of_last("/servers");
    row["objective_total"] = of_last("/objective_total");
    row["verified"] = of_last("/verified");
    row["within_sla"] = of_last("/availability/within_sla");
  } else if (command == "capacity") {
    row["max_qps"] = at(result, "/max_qps");
    row["found"] = at(result, "/found");
    row["missed_qps"] = at(result, "/missed_qps");
    row["missed_below_qps"] = at(result, "/missed_below_qps");
    row["evaluations"] = at(result, "/evaluations");
  } else {
    row["best_batch_size"] = at(result, "/best/batch_size");
    row["best_gpu_threshold"] = at(result, "/best/gpu_threshold");
    row["best_max_qps"] = at(result, "/best/max_qps");
    row["baseline_batch_size"] = at(result, "/baseline/batch_size");
    row["baseline_max_qps"] = at(result, "/baseline/max_qps");
    row["evaluations"] = at(result, "/evaluations");
  }
}

}  // namespace

std::vector<ojson> sweep_table(const SweepSpec& spec, const std::vector<SweepRow>& rows) {
  std::vector<ojson> table;
  for (std::size_t i = 0; i < spec.points.size(); ++i) {
    const SweepPoint& p = spec.points[i];
    ojson row;
    row["point"] = p.index;
    for (std::size_t c = 0; c < spec.columns.size(); ++c) row[spec.columns[c].name] = p.values[c];
    if (spec.repetitions > 0) row["repetition"] = p.repetition;
    const auto& point = rows[i].point;
    const ojson result = point ? (*point)["result"] : ojson(nullptr);
    row["seed"] = point ? at(result, "/seed") : ojson(nullptr);
    row["status"] = point ? "done" : "missing";
    row["key"] = rows[i].key;
    add_figures(spec.command, result, row);
    table.push_back(std::move(row));
  }
  return table;
}

std::string table_jsonl(const std::vector<ojson>& table) {
  std::string text;
  for (const auto& row : table) text += row.dump() + "\n";
  return text;
}

}  // namespace recsim
