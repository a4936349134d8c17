// deeprecsched-online: batch size and GPU threshold climbed during the run by
// OnlineHillClimber (scheduler.online gives its ladders and its arrival-rate controller); each
// query is planned under the configuration in force when it arrives.
#include "sim/scheduling/scheduler_policy.h"

#include "workloads/input_error.h"

namespace recsim {

const KeySection& online_keys() {
  using T = KeyDecl::Type;
  static const KeySection section{
      "online",
      "the online climb (sim/scheduling/online_hill_climber.h): for each configuration an arrival-rate controller finds the load under the SLA; the batch size is climbed from the smallest value of its ladder upward while that load strictly improves, then the threshold the same way; the queues drain between configurations; the best configuration then serves the rest of the run at `workload.arrival.qps`, and only queries arriving after both the warm-up and the climb are measured",
      {{.type = T::array, .name = "batches", .required = false, .unit = "items", .help = "the batch sizes climbed",
         .when = "the tune ladder 1, 2, 3, 4, 6, …, 768, 1024", .also = "strictly increasing, each 1 to 1e9", .items = "integer"},
       {.type = T::array, .name = "thresholds", .required = false, .unit = "items", .help = "the offload thresholds climbed after the batch size",
        .when = "the same ladder when the platform can offload (GPUs and `service.gpu_profile`), else none",
        .also = "strictly increasing, each 1 to 1e9; refused when the platform cannot offload", .items = "integer"},
       {.name = "min_qps", .required = false, .lo = 0.0, .hi = 1e12, .lo_open = true, .unit = "queries/s", .help = "the controller's slowest rate",
        .when = "`workload.arrival.qps` / 4"},
       {.name = "max_qps", .required = false, .lo = 0.0, .hi = 1e12, .lo_open = true, .unit = "queries/s", .help = "the controller's fastest rate (a configuration whose load reaches it is reported `at_limit`)",
        .when = "`workload.arrival.qps` × 4", .also = "> `min_qps`"},
       {.type = T::integer, .name = "gap_steps", .required = false, .lo = 2, .hi = 100000, .fallback = 50, .help = "the controller's arrival gaps: this many log-spaced values from 1/max_qps to 1/min_qps"},
       {.type = T::integer, .name = "update_queries", .required = false, .lo = 1, .hi = 1000000, .fallback = 64, .unit = "queries",
        .help = "the controller looks at the SLA percentile of every this many completed queries: above the target, one gap slower; below target / (1 + headroom), one gap faster; else it holds"},
       {.type = T::integer, .name = "updates", .required = false, .lo = 1, .hi = 1000000, .fallback = 128, .help = "updates per configuration"},
       {.type = T::integer, .name = "median_of", .required = false, .lo = 1, .hi = 1000000, .fallback = 50, .help = "a configuration's load under the SLA is 1 / the median gap of its last this many updates (the slower of the middle two for an even count)",
        .also = "at most `updates`"},
       {.name = "headroom", .required = false, .lo = 0.0, .hi = 10.0, .fallback = 0.10, .unit = "fraction", .help = "see `update_queries`"}}};
  return section;
}

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
  const KeySection& k = online_keys();
  if (online.has("min_qps")) spec.min_qps = read_number(online, k.key("min_qps"));
  if (online.has("max_qps")) spec.max_qps = read_number(online, k.key("max_qps"));
  spec.gap_steps = static_cast<int>(read_integer(online, k.key("gap_steps")));
  spec.update_queries = static_cast<int>(read_integer(online, k.key("update_queries")));
  spec.updates = static_cast<int>(read_integer(online, k.key("updates")));
  spec.median_of = static_cast<int>(read_integer(online, k.key("median_of")));
  spec.headroom = read_number(online, k.key("headroom"));
  if (online.has("batches")) spec.batches = parse_ladder(online, "batches");
  if (online.has("thresholds")) spec.thresholds = parse_ladder(online, "thresholds");
  online.finish();
  return spec;
}

}  // namespace

SchedulerPolicy deeprecsched_online_scheduler() {
  return {"deeprecsched-online", "batch_size and gpu_threshold are climbed during the run's warm-up (`scheduler.online`, docs/tuning.md); needs Poisson arrivals", false, true,
          [](JsonReader& s, SchedulerSpec& spec) {
            // The climb chooses both: a fixed value would be silently ignored.
            for (const char* key : {"batch_size", "gpu_threshold"})
              if (s.has(key))
                throw InputError(s.child_path(key),
                                 "the \"deeprecsched-online\" policy climbs it: give its ladder in scheduler.online instead");
            spec.online = s.has("online") ? parse_online(s.object(online_key().name)) : OnlineSpec{};
            spec.batch_size = 1;
          },
          [](const SchedulerSpec&, const TuneConfig& live, int size) {
            return QueryPlan{live.gpu_threshold && size >= *live.gpu_threshold, live.batch_size};
          },
          {online_key()}};
}

}  // namespace recsim
