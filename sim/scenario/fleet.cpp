#include "sim/scenario/fleet.h"

#include <algorithm>

namespace recsim {

const ServiceSpec& FleetModel::first_service() const {
  for (const auto& s : service)
    if (s) return *s;
  static const ServiceSpec none;
  return none;
}

void FleetModel::set_service(const ServiceSpec& spec) {
  const auto shared = std::make_shared<const ServiceSpec>(spec);
  for (auto& s : service)
    if (s) s = shared;
}

int Fleet::total_gpus() const {
  int n = 0;
  for (const auto& g : groups) n += g.count * g.gpus;
  return n;
}

int Fleet::total_servers() const {
  int n = 0;
  for (const auto& g : groups) n += g.count;
  return n;
}

int Fleet::total_cores() const {
  int n = 0;
  for (const auto& g : groups) n += g.count * g.cpu_cores;
  return n;
}

const EmbeddingCacheSpec* Fleet::embedding_cache(std::size_t model, std::size_t kind) const {
  const auto& service = models[model].service[kind];
  return service && service->embedding_cache ? &*service->embedding_cache : nullptr;
}

const EmbeddingCacheSpec* Fleet::embedding_cache_on_group(std::size_t model, std::size_t group) const {
  const auto& placed = models[model].groups;
  if (!std::binary_search(placed.begin(), placed.end(), static_cast<int>(group))) return nullptr;
  return embedding_cache(model, static_cast<std::size_t>(groups[group].kind));
}

const EmbeddingCacheSpec* Fleet::embedding_cache() const {
  for (const auto& m : models)
    for (const auto& s : m.service)
      if (s && s->embedding_cache) return &*s->embedding_cache;
  return nullptr;
}

int Fleet::shared_cores(std::size_t group) const {
  const ServerGroup& g = groups[group];
  int cores = g.cpu_cores;
  for (const auto& m : models) {
    if (!std::binary_search(m.groups.begin(), m.groups.end(), static_cast<int>(group))) continue;
    const SchedulerSpec& s = m.scheduler[static_cast<std::size_t>(g.kind)];
    if (s.instances > 0) cores -= s.instances * s.intra_op_threads;
  }
  return cores;
}

}  // namespace recsim
