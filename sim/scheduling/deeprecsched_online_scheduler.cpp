// deeprecsched-online: batch size and GPU threshold climbed during the run by
// OnlineHillClimber (scheduler.online gives its ladders and its arrival-rate controller); each
// query is planned under the configuration in force when it arrives.
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

namespace recsim {
namespace {

// A ladder: a non-empty array of strictly increasing integers in [1, kMaxQuerySize].
std::vector<int> parse_ladder(JsonReader& object, const std::string& key) {
  const auto& values = object.array(key);
  const std::string path = object.child_path(key);
  if (values.empty()) throw InputError(path, "expected at least one value");
  std::vector<int> ladder;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& v = values[i];
    const std::string item = path + "." + std::to_string(i);
    if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxQuerySize)
      throw InputError(item, "expected an integer from 1 to " + std::to_string(kMaxQuerySize) + ", got " + v.dump());
    const int x = static_cast<int>(v.get<std::int64_t>());
    if (!ladder.empty() && x <= ladder.back())
      throw InputError(item, "expected values in increasing order, got " + std::to_string(x) + " after " + std::to_string(ladder.back()));
    ladder.push_back(x);
  }
  return ladder;
}

OnlineSpec parse_online(JsonReader online) {
  OnlineSpec spec;
  if (online.has("min_qps")) spec.min_qps = online.number("min_qps", 0.0, 1e12, true);
  if (online.has("max_qps")) spec.max_qps = online.number("max_qps", 0.0, 1e12, true);
  spec.gap_steps = static_cast<int>(online.integer_or("gap_steps", 50, 2, 100000));
  spec.update_queries = static_cast<int>(online.integer_or("update_queries", 64, 1, 1000000));
  spec.updates = static_cast<int>(online.integer_or("updates", 128, 1, 1000000));
  spec.median_of = static_cast<int>(online.integer_or("median_of", 50, 1, 1000000));
  spec.headroom = online.number_or("headroom", 0.10, 0.0, 10.0);
  if (online.has("batches")) spec.batches = parse_ladder(online, "batches");
  if (online.has("thresholds")) spec.thresholds = parse_ladder(online, "thresholds");
  online.finish();
  return spec;
}

}  // namespace

SchedulerPolicy deeprecsched_online_scheduler() {
  return {"deeprecsched-online", "batch size and GPU threshold climbed during the run (scheduler.online)", false, true,
          [](JsonReader& s, SchedulerSpec& spec) {
            // The climb chooses both: a fixed value would be silently ignored.
            for (const char* key : {"batch_size", "gpu_threshold"})
              if (s.has(key))
                throw InputError(s.child_path(key),
                                 "the \"deeprecsched-online\" policy climbs it: give its ladder in scheduler.online instead");
            spec.online = s.has("online") ? parse_online(s.object("online")) : OnlineSpec{};
            spec.batch_size = 1;
          },
          [](const SchedulerSpec&, const TuneConfig& live, int size) {
            return QueryPlan{live.gpu_threshold && size >= *live.gpu_threshold, live.batch_size};
          }};
}

}  // namespace recsim
