// The static policy's split of a query into per-core requests.
#include "sim/scheduling/static_policy.h"

#include <catch2/catch.hpp>

using recsim::StaticPolicy;

TEST_CASE("static policy splits a query into ceil(size / batch) requests", "[scheduling][split]") {
  const StaticPolicy p(64);
  CHECK(p.request_count(1) == 1);
  CHECK(p.request_count(64) == 1);
  CHECK(p.request_count(65) == 2);
  CHECK(p.request_count(1024) == 16);
  // Items: full batches, then the remainder.
  CHECK(p.request_items(150, 0) == 64);
  CHECK(p.request_items(150, 1) == 64);
  CHECK(p.request_items(150, 2) == 22);
  int total = 0;
  for (int r = 0; r < p.request_count(1000); ++r) total += p.request_items(1000, r);
  CHECK(total == 1000);
  CHECK(StaticPolicy(1'000'000'000).request_count(1'000'000'000) == 1);  // no overflow
}
