#pragma once
// Reading format-2 results in tests.
#include "sim/metrics/run_results.h"

#include <catch2/catch.hpp>

#include <string>

namespace recsim::test {

// The results of the model named `name` (the test fails where there is none).
inline const ModelResults& model_named(const RunResults& r, const std::string& name) {
  for (const auto& m : r.datacenter->models)
    if (m.name == name) return m;
  FAIL("no model " << name);
  return r.datacenter->models.front();
}

}  // namespace recsim::test
