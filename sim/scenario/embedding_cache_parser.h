#pragma once
// service.embedding_cache (docs/parameter-server.md): HugeCTR HPS's GPU cache over a volatile tier
// over an optional persistent tier. Its keys are declared here once, read through those
// declarations, and the docs' tables and the JSON Schema are generated from them.
#include "kernels/model/model_spec.h"
#include "sim/ps/embedding_cache_spec.h"
#include "workloads/json_reader.h"
#include "workloads/key_declaration.h"

#include <string>
#include <vector>

namespace recsim {

struct Scenario;

// The sections of the embedding cache's keys: embedding_cache, embedding_cache_keys, redis,
// persistent_tier, cache_refresh, updates, outage.
const std::vector<KeySection>& embedding_cache_key_sections();

// Reads service.embedding_cache for `model`'s tables (files resolved against `base_dir`) and its tier
// profile's curves.
EmbeddingCacheSpec parse_embedding_cache(JsonReader cache, const ModelSpec& model, const std::string& base_dir);
// The checks that need the rest of the scenario (the fleet's GPUs and servers, the largest query).
void check_embedding_cache(const Scenario& s);

}  // namespace recsim
