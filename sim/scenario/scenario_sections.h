#pragma once
// The sections of a scenario that both formats share, each read by one function that checks every
// key and names its JSON path in errors (docs/scenario-format.md): arrivals, query sizes, a
// service, a scheduler, and the run. scenario_parser.cpp reads format 1 with them,
// datacenter_parser.cpp format 2.
#include "kernels/profiles/latency_profile.h"
#include "sim/scenario/scenario.h"
#include "workloads/json_reader.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace recsim {

void parse_arrival(JsonReader arrival, const std::string& base_dir, ArrivalSpec& out);
QuerySizeSpec parse_query_size(JsonReader size, const std::string& base_dir);
// The path `key` names, resolved against `base_dir`; an InputError unless it is an existing file.
std::string read_input_file(JsonReader& r, const std::string& key, const std::string& base_dir);
// The profiles one parse has read, by resolved path: a format-2 scenario reads each kind's profiles
// once, not once per (model, kind) pair. Each profile is parsed once per process while its file is
// unchanged (sim/provenance/file_memo.h), and what is derived from it (a model's fitted curves) is
// computed once per profile: a sweep parses its points' scenarios without refitting a curve.
class ProfileCache {
 public:
  const LatencyProfile& load(const std::string& path);
  // make(profile) for the profile at `path` (loaded first), kept under `key` with that profile:
  // the same key must always name a value of the same type T. make's exceptions pass through and
  // nothing is kept.
  template <class T>
  T derived(const std::string& path, const std::string& key, const std::function<T(const LatencyProfile&)>& make) {
    const Loaded& loaded = entry(path);
    {
      std::lock_guard<std::mutex> lock(loaded.mutex);
      const auto it = loaded.derived.find(key);
      if (it != loaded.derived.end()) return *std::static_pointer_cast<const T>(it->second);
    }
    auto value = std::make_shared<const T>(make(loaded.profile));
    std::lock_guard<std::mutex> lock(loaded.mutex);
    loaded.derived.emplace(key, value);
    return *value;
  }

  struct Loaded {
    LatencyProfile profile;
    mutable std::mutex mutex;
    mutable std::map<std::string, std::shared_ptr<const void>> derived;
  };

 private:
  const Loaded& entry(const std::string& path);
  std::map<std::string, std::shared_ptr<const Loaded>> profiles_;
};
ServiceSpec parse_service(JsonReader service, const std::string& base_dir, ProfileCache* profiles = nullptr);
// `server_selection`: format 1's scheduler also names the fleet's balancer, written there.
SchedulerSpec parse_scheduler(JsonReader scheduler, std::string* server_selection = nullptr);
// sla.*: the percentile and the target (both formats).
SlaSpec parse_sla(JsonReader sla);
// run.*: needs s.arrival (a trace's length) and s.fleet's models, and fills s.run and, for a trace,
// the models' query sizes' and s.arrival's trace statistics.
void parse_run(JsonReader& run, Scenario& s);
// A format-2 document (docs/scenario-format.md, "Format 2").
Scenario parse_datacenter_scenario(const nlohmann::json& document, const std::string& base_dir);

}  // namespace recsim
